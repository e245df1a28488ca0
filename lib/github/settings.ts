// The organisation's AI-detection settings: defaults here, overrides in `settings` under
// `ai_detection`. An administrator's save (the /admin tab, PUT /api/v1/settings/ai-detection)
// stores both lists whole with `complete: true`. An older hand-written row without it keeps
// its meaning: `labels` replaces the default labels, `agentBots` adds to the known agents.
// Read from the database on every use (nothing is cached), so a save applies to the next delivery.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db, type Queryable, type Tx } from '@/db/client';
import { settings, type Person } from '@/db/schema';
import { appendAudit, contentVersion } from '@/lib/audit/chain';
import { badRequest, conflict } from '@/lib/errors';
import { DEFAULT_AI_DETECTION, type AiDetectionSettings } from './ai-detect';
import { diffAiDetection, issueText, LABEL_LEVELS, parseAiDetectionInput, type AiDetectionDiffEntry } from './ai-detection-schema';

export const AI_DETECTION_SETTING_KEY = 'ai_detection';
/** Serialises administrators' saves (two at once would each diff against a stale row). */
const AI_DETECTION_LOCK_KEY = 7364042;

const Override = z.object({
  /** Replaces the default labels when given. */
  labels: z.record(z.string().min(1), z.enum(LABEL_LEVELS)).optional(),
  /** Added to the known coding agents — or, with `complete`, the whole list. */
  agentBots: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Written by an administrator's save: both lists are the whole configuration. */
  complete: z.boolean().optional(),
});

/** The effective settings of a stored `ai_detection` value (defaults where it says nothing). */
export function mergeAiDetection(value: unknown): AiDetectionSettings {
  const parsed = Override.safeParse(value ?? {});
  const o = parsed.success ? parsed.data : {};
  return {
    labels: o.labels ?? DEFAULT_AI_DETECTION.labels,
    agentBots: o.complete && o.agentBots ? o.agentBots : { ...DEFAULT_AI_DETECTION.agentBots, ...(o.agentBots ?? {}) },
  };
}

export async function getAiDetectionSettings(q: Queryable): Promise<AiDetectionSettings> {
  const [row] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY)).limit(1);
  return mergeAiDetection(row?.value);
}

/** A short fingerprint of the settings' content: sent as ETag, checked against If-Match. */
export function aiDetectionVersion(s: AiDetectionSettings): string {
  return contentVersion(s);
}

export interface AiDetectionUpdateResult {
  settings: AiDetectionSettings;
  version: string;
  changed: AiDetectionDiffEntry[];
  auditEventId: number | null;
}

/**
 * An administrator replaces the configuration: validated whole (400 naming the field, nothing
 * written), then the settings row and a `settings.ai_detection_updated` audit event in one
 * transaction. Saving what is already in force writes nothing.
 */
export async function updateAiDetectionSettings(
  db: Db,
  body: unknown,
  by: Pick<Person, 'id' | 'handle'>,
  opts: { actorLabel?: string; ifMatch?: string | null } = {},
): Promise<AiDetectionUpdateResult> {
  const parsed = parseAiDetectionInput(body);
  if (!parsed.ok) {
    const first = parsed.issues[0]!;
    throw badRequest('invalid_ai_detection', `Invalid AI-detection settings: ${issueText(first)}${parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : ''}.`, parsed.issues);
  }
  return db.transaction((tx) => apply(tx, parsed.value, by, opts));
}

async function apply(tx: Tx, after: AiDetectionSettings, by: Pick<Person, 'id' | 'handle'>, opts: { actorLabel?: string; ifMatch?: string | null }): Promise<AiDetectionUpdateResult> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AI_DETECTION_LOCK_KEY})`);
  const before = await getAiDetectionSettings(tx);
  if (opts.ifMatch && opts.ifMatch !== '*' && opts.ifMatch !== aiDetectionVersion(before)) {
    throw conflict('settings_changed', 'Someone changed the AI-detection settings since you loaded them; nothing was saved. Reload to see the settings in force.');
  }
  const changed = diffAiDetection(before, after);
  if (!changed.length) return { settings: before, version: aiDetectionVersion(before), changed, auditEventId: null };

  const value = { labels: after.labels, agentBots: after.agentBots, complete: true };
  const now = new Date();
  await tx
    .insert(settings)
    .values({ key: AI_DETECTION_SETTING_KEY, value, updatedById: by.id, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedById: by.id, updatedAt: now } });
  await appendAudit(tx, {
    actorId: by.id,
    actor: opts.actorLabel ?? by.handle,
    action: 'settings.ai_detection_updated',
    subjectType: 'setting',
    subjectId: AI_DETECTION_SETTING_KEY,
    payload: { changes: changed, before, after, version: { from: aiDetectionVersion(before), to: aiDetectionVersion(after) } },
  });
  const [event] = await queryRows<{ id: number }>(tx, sql`select currval(pg_get_serial_sequence('audit_events', 'id'))::int as id`);
  return { settings: after, version: aiDetectionVersion(after), changed, auditEventId: event ? Number(event.id) : null };
}
