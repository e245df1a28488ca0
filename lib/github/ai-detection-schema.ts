// What an administrator may set as the AI-detection configuration (PR label → AI level, coding
// agent login → tool), checked the same way by the form as you type and by the API before it
// writes. Pure and browser-safe: no database, no Node modules.
import { z } from 'zod';
import { AI_LEVELS, type AiLevel } from '@/db/schema/enums';
import type { AiDetectionSettings } from './ai-detect';

/** The levels a label can declare: every AI level but `none` (no label says "no AI"). */
export const LABEL_LEVELS = AI_LEVELS.filter((l): l is Exclude<AiLevel, 'none'> => l !== 'none');
export type LabelLevel = (typeof LABEL_LEVELS)[number];

export const AI_DETECTION_LIMITS = { labelChars: 50, loginChars: 39, toolChars: 100, labels: 100, agentBots: 200 } as const;

export interface AiDetectionIssue {
  /** `labels`, `labels.<name>`, `agentBots`, `agentBots.<login>`, or `` for the body itself. */
  path: string;
  message: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
/** A GitHub login, or a GitHub App's `slug[bot]`. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\[bot\])?$/;

/** Why a label name is refused, or null. */
export function labelNameIssue(raw: string): string | null {
  const name = raw.trim();
  if (!name) return 'enter a label name';
  if (name.length > AI_DETECTION_LIMITS.labelChars) return `label "${name.slice(0, 20)}…" is longer than ${AI_DETECTION_LIMITS.labelChars} characters`;
  if (CONTROL.test(name)) return `label "${name}" contains a control character`;
  return null;
}

export function labelLevelIssue(level: unknown): string | null {
  return typeof level === 'string' && (LABEL_LEVELS as readonly string[]).includes(level) ? null : `the level must be one of ${LABEL_LEVELS.join(', ')}`;
}

/** Why a bot login is refused, or null. */
export function botLoginIssue(raw: string): string | null {
  const login = raw.trim();
  if (!login) return 'enter a GitHub login';
  const base = login.replace(/\[bot\]$/, '');
  if (base.length > AI_DETECTION_LIMITS.loginChars) return `login "${login.slice(0, 20)}…" is longer than GitHub allows (${AI_DETECTION_LIMITS.loginChars} characters before [bot])`;
  if (!LOGIN.test(login)) return `"${login}" is not a GitHub login (letters, digits and hyphens, optionally ending in [bot])`;
  return null;
}

export function toolIssue(raw: unknown): string | null {
  if (typeof raw !== 'string' || !raw.trim()) return 'enter the tool’s name';
  const tool = raw.trim();
  if (tool.length > AI_DETECTION_LIMITS.toolChars) return `the tool name is longer than ${AI_DETECTION_LIMITS.toolChars} characters`;
  if (CONTROL.test(tool)) return 'the tool name contains a control character';
  return null;
}

const Body = z.strictObject({
  labels: z.record(z.string(), z.unknown()),
  agentBots: z.record(z.string(), z.unknown()),
});

type Entry = { key: string; value: unknown };

function checkEntries(
  entries: Entry[],
  field: 'labels' | 'agentBots',
  max: number,
  keyIssue: (k: string) => string | null,
  valueIssue: (v: unknown) => string | null,
  ctx: z.RefinementCtx,
): void {
  if (entries.length > max) ctx.addIssue({ code: 'custom', path: [field], message: `at most ${max} ${field === 'labels' ? 'labels' : 'agent bots'}` });
  const seen = new Map<string, string>();
  for (const e of entries) {
    const message = keyIssue(e.key) ?? valueIssue(e.value);
    if (message) {
      ctx.addIssue({ code: 'custom', path: [field, e.key], message });
      continue;
    }
    const folded = e.key.trim().toLowerCase();
    const first = seen.get(folded);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [field, e.key], message: `"${e.key.trim()}" is listed twice (also as "${first}"; case does not matter)` });
    else seen.set(folded, e.key.trim());
  }
}

/** The PUT body: both lists whole (what is not listed is no longer configured). */
export const AiDetectionInput = Body.superRefine((b, ctx) => {
  checkEntries(
    Object.entries(b.labels).map(([key, value]) => ({ key, value })),
    'labels',
    AI_DETECTION_LIMITS.labels,
    labelNameIssue,
    labelLevelIssue,
    ctx,
  );
  checkEntries(
    Object.entries(b.agentBots).map(([key, value]) => ({ key, value })),
    'agentBots',
    AI_DETECTION_LIMITS.agentBots,
    botLoginIssue,
    toolIssue,
    ctx,
  );
}).transform(
  (b): AiDetectionSettings => ({
    labels: Object.fromEntries(Object.entries(b.labels).map(([k, v]) => [k.trim(), v as LabelLevel])),
    agentBots: Object.fromEntries(Object.entries(b.agentBots).map(([k, v]) => [k.trim(), String(v).trim()])),
  }),
);

export type AiDetectionParse = { ok: true; value: AiDetectionSettings } | { ok: false; issues: AiDetectionIssue[] };

export function parseAiDetectionInput(body: unknown): AiDetectionParse {
  const parsed = AiDetectionInput.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    // zod's own wording for the shape ("expected record…", unknown keys) gets the field's name.
    const message = i.code === 'custom' ? i.message : i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')} (send labels and agentBots)` : `${path || 'the body'} must be an object of ${path === 'agentBots' ? 'login → tool' : 'label → level'}`;
    return { path, message };
  });
  return { ok: false, issues };
}

/** `path: message` (the same wording as the policy's). */
export { issueText } from '@/lib/policy/schema';

export interface AiDetectionDiffEntry {
  field: 'labels' | 'agentBots';
  key: string;
  from: string | null;
  to: string | null;
}

/** What changed between two configurations, entry by entry (keys compared case-insensitively). */
export function diffAiDetection(before: AiDetectionSettings, after: AiDetectionSettings): AiDetectionDiffEntry[] {
  const out: AiDetectionDiffEntry[] = [];
  for (const field of ['labels', 'agentBots'] as const) {
    const a = new Map(Object.entries(before[field]).map(([k, v]) => [k.toLowerCase(), { k, v: String(v) }]));
    const b = new Map(Object.entries(after[field]).map(([k, v]) => [k.toLowerCase(), { k, v: String(v) }]));
    for (const [folded, x] of a) {
      const y = b.get(folded);
      if (!y) out.push({ field, key: x.k, from: x.v, to: null });
      else if (y.v !== x.v || y.k !== x.k) out.push({ field, key: y.k, from: x.v, to: y.v });
    }
    for (const [folded, y] of b) if (!a.has(folded)) out.push({ field, key: y.k, from: null, to: y.v });
  }
  return out;
}

/** `label "ai-reviewed" added (generated)` — for the audit timeline and the success message. */
export function describeAiDetectionChange(d: AiDetectionDiffEntry): string {
  const what = d.field === 'labels' ? `label "${d.key}"` : `agent "${d.key}"`;
  if (d.from === null) return `${what} added (${d.to})`;
  if (d.to === null) return `${what} removed`;
  return d.from === d.to ? `${what} now spelled so` : `${what} ${d.from} → ${d.to}`;
}
