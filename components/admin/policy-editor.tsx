'use client';
// The sign-off policy as a form: every field with what it does, its bounds checked as you type
// (the same rules the server applies), Save shows exactly what changes and asks before it
// writes. The server re-checks everything, re-weighs open changes and records the change.
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { describeDiffEntry, diffPolicy, formatPolicyValue, getAt, POLICY_FIELD_BY_PATH, setAt, SIGN_OFF_ROLES, type PolicyDiffEntry, type PolicyField } from '@/lib/policy/fields';
import type { Policy } from '@/lib/policy';
import { validatePolicy, type PolicyIssue } from '@/lib/policy/schema';

const GROUPS: { id: string; title: string; intro: string; paths: string[] }[] = [
  {
    id: 'approvals',
    title: 'Approvals required',
    intro: 'For production changes. A change needs the most that any rule asks of it.',
    paths: ['approvals.approvalsByTier.1', 'approvals.approvalsByTier.2', 'approvals.approvalsByTier.3', 'approvals.criticalApprovals', 'approvals.agentMinApprovals'],
  },
  {
    id: 'approvers',
    title: 'Who may approve',
    intro: 'Never the author or a co-author, never a bot, never a deactivated account — whatever is set here.',
    paths: ['approvals.minLevelByTier.1', 'approvals.minLevelByTier.2', 'approvals.minLevelByTier.3', 'approvals.approverRoles'],
  },
  {
    id: 'gate',
    title: 'Deploy gate',
    intro: 'What counts as production, and when a change counts as Tier-1.',
    paths: ['approvals.tier1BlastDepth', 'approvals.productionEnvironments', 'approvals.requirePreDeployForTier1'],
  },
  { id: 'break-glass', title: 'Break-glass', intro: 'Emergency overrides opened by a director or VP during an incident.', paths: ['approvals.breakGlassDefaultHours', 'approvals.breakGlassMaxHours'] },
  {
    id: 'review',
    title: 'Review-depth signals',
    intro: 'Shown to leadership on /audit/compliance as signals to look at; they never block a change.',
    paths: ['review.readingLinesPerMinute', 'review.rubberStampShare', 'review.rubberStampMinReviews'],
  },
];

const UNIT: Partial<Record<PolicyField['kind'], string>> = { hours: 'hours', depth: 'hops', rate: 'lines/min', share: '%' };

const control =
  'rounded-md border bg-white px-2 py-1.5 text-sm focus:ring-2 focus:outline-none dark:bg-zinc-950 aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus:ring-red-500/20 border-zinc-300 focus:border-accent-500 focus:ring-accent-500/20 dark:border-zinc-700';

interface SaveResponse {
  policy: Policy;
  version: string;
  changed: PolicyDiffEntry[];
  reweighed: { count: number };
}

function byPath(issues: PolicyIssue[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const i of issues) if (!m.has(i.path)) m.set(i.path, i.message);
  return m;
}

function parseNumber(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

export function PolicyEditor({ initial, version: initialVersion, defaults }: { initial: Policy; version: string; defaults: Policy }) {
  const router = useRouter();
  const formId = useId();
  const [saved, setSaved] = useState(initial);
  const [version, setVersion] = useState(initialVersion);
  const [draft, setDraft] = useState(initial);
  const [envText, setEnvText] = useState(initial.approvals.productionEnvironments.join(', '));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverIssues, setServerIssues] = useState<PolicyIssue[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const changes = useMemo(() => diffPolicy(saved, draft), [saved, draft]);
  const localIssues = useMemo(() => validatePolicy(draft), [draft]);
  const errors = useMemo(() => byPath([...localIssues, ...serverIssues]), [localIssues, serverIssues]);
  const changedPaths = new Set(changes.map((c) => c.path));

  function update(path: string, value: unknown) {
    setDraft((d) => setAt(d, path, value));
    setServerIssues((list) => list.filter((i) => i.path !== path));
    setConfirming(false);
    setMessage(null);
  }

  function replaceDraft(p: Policy) {
    setDraft(p);
    setEnvText(p.approvals.productionEnvironments.join(', '));
    setServerIssues([]);
    setConfirming(false);
    setMessage(null);
  }

  async function save() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await apiFetch<SaveResponse>('/api/v1/policy', { method: 'PUT', body: draft, headers: { 'if-match': version } });
      setSaved(res.policy);
      setVersion(res.version);
      replaceDraft(res.policy);
      const n = res.reweighed.count;
      setMessage({
        kind: 'ok',
        text: res.changed.length
          ? `Policy saved: ${res.changed.map((c) => describeDiffEntry(c)).join('; ')}. ${n ? `${n} open change${n === 1 ? '' : 's'} re-weighed; ` : ''}the deploy gate applies it from its next call.`
          : 'Nothing to save: the policy in force already says this.',
      });
      router.refresh();
    } catch (err) {
      setConfirming(false);
      if (err instanceof ApiError) {
        const details = Array.isArray(err.details) ? (err.details as PolicyIssue[]).filter((d) => d && typeof d.path === 'string') : [];
        setServerIssues(details);
        setMessage({ kind: 'error', text: err.message });
      } else {
        setMessage({ kind: 'error', text: 'Could not reach the server; the policy did not change.' });
      }
    } finally {
      setBusy(false);
    }
  }

  const invalid = localIssues.length > 0;
  const atDefaults = diffPolicy(defaults, draft).length === 0;

  return (
    <form
      id={formId}
      aria-label="Sign-off policy"
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!changes.length || invalid) return;
        setConfirming(true);
      }}
    >
      {GROUPS.map((g) => (
        <fieldset key={g.id} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <legend className="sr-only">{g.title}</legend>
          <h2 className="text-sm font-semibold">{g.title}</h2>
          <p className="mt-0.5 mb-3 text-xs text-zinc-500 dark:text-zinc-400">{g.intro}</p>
          <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {g.paths.map((path) => (
              <FieldRow
                key={path}
                field={POLICY_FIELD_BY_PATH.get(path)!}
                value={getAt(draft, path)}
                was={changedPaths.has(path) ? getAt(saved, path) : undefined}
                error={errors.get(path)}
                envText={envText}
                onEnvText={(t) => {
                  setEnvText(t);
                  update(
                    path,
                    t
                      .split(/[\s,]+/)
                      .map((x) => x.trim().toLowerCase())
                      .filter(Boolean),
                  );
                }}
                onChange={(v) => update(path, v)}
              />
            ))}
          </div>
        </fieldset>
      ))}

      <div className="sticky bottom-0 z-10 -mx-1 rounded-lg border border-zinc-200 bg-white/95 p-3 shadow-sm backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        {message ? (
          <p
            role={message.kind === 'error' ? 'alert' : 'status'}
            data-testid={message.kind === 'ok' ? 'policy-saved' : 'policy-error'}
            className={`mb-3 rounded-md px-3 py-2 text-sm ${message.kind === 'error' ? 'bg-red-50 text-red-800 dark:bg-red-500/10 dark:text-red-200' : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-200'}`}
          >
            {message.text}
          </p>
        ) : null}
        {confirming ? (
          <section aria-labelledby={`${formId}-confirm`} className="space-y-3" data-testid="policy-confirm">
            <h2 id={`${formId}-confirm`} className="text-sm font-semibold">
              Save {changes.length === 1 ? 'this change' : `these ${changes.length} changes`} to the policy?
            </h2>
            <ul className="space-y-1 text-sm">
              {changes.map((c) => (
                <li key={c.path} className="flex flex-wrap items-baseline gap-x-2">
                  <span className="font-medium">{c.label}</span>
                  <span className="text-zinc-500 line-through tabular dark:text-zinc-400">{formatPolicyValue(c.path, c.from)}</span>
                  <span aria-hidden className="text-zinc-400">
                    →
                  </span>
                  <span className="sr-only">becomes</span>
                  <span className="font-semibold tabular">{formatPolicyValue(c.path, c.to)}</span>
                </li>
              ))}
            </ul>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              It applies at once: open changes are re-weighed (the queue follows), the deploy gate uses it from its next call, and the change is recorded in the audit trail under your name.
            </p>
            <div className="flex gap-2">
              <button type="button" onClick={() => void save()} disabled={busy} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
                {busy ? 'Saving…' : 'Save policy'}
              </button>
              <button type="button" onClick={() => setConfirming(false)} disabled={busy} className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
                Keep editing
              </button>
            </div>
          </section>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" disabled={!changes.length || invalid} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
              Review changes…
            </button>
            <button
              type="button"
              disabled={!changes.length}
              onClick={() => replaceDraft(saved)}
              className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              Discard
            </button>
            <button
              type="button"
              disabled={atDefaults}
              onClick={() => replaceDraft({ ...defaults, approvals: { ...defaults.approvals }, review: { ...defaults.review } })}
              className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
              title="Fill the form with the built-in defaults (nothing is saved until you confirm)"
            >
              Restore defaults
            </button>
            <span className="ml-auto text-xs text-zinc-500 tabular dark:text-zinc-400" aria-live="polite">
              {invalid
                ? `${localIssues.length} field${localIssues.length === 1 ? '' : 's'} to fix`
                : changes.length
                  ? `${changes.length} unsaved change${changes.length === 1 ? '' : 's'}`
                  : 'No unsaved changes'}
            </span>
          </div>
        )}
      </div>
    </form>
  );
}

function FieldRow({
  field: f,
  value,
  was,
  error,
  envText,
  onEnvText,
  onChange,
}: {
  field: PolicyField;
  value: unknown;
  was: unknown;
  error: string | undefined;
  envText: string;
  onEnvText: (t: string) => void;
  onChange: (v: unknown) => void;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const describedBy = error ? `${helpId} ${errId}` : helpId;
  const changed = was !== undefined;
  let input: React.ReactNode;
  switch (f.kind) {
    case 'level':
      input = (
        <span className="inline-flex items-center gap-1.5">
          <select id={id} value={Number(value)} onChange={(e) => onChange(Number(e.target.value))} aria-describedby={describedBy} aria-invalid={!!error} className={`${control} w-20`}>
            {Array.from({ length: (f.max ?? 10) - (f.min ?? 4) + 1 }, (_, i) => (f.min ?? 4) + i).map((l) => (
              <option key={l} value={l}>
                L{l}+
              </option>
            ))}
          </select>
          <span className="w-16" aria-hidden />
        </span>
      );
      break;
    case 'roles': {
      const roles = Array.isArray(value) ? (value as string[]) : [];
      input = (
        <div role="group" aria-labelledby={`${id}-label`} aria-describedby={describedBy} className="flex flex-wrap gap-x-4 gap-y-1">
          {SIGN_OFF_ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={roles.includes(r)}
                onChange={(e) => onChange(e.target.checked ? SIGN_OFF_ROLES.filter((x) => x === r || roles.includes(x)) : roles.filter((x) => x !== r))}
                className="accent-accent-600"
              />
              {ROLE_LABELS[r]}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'environments':
      input = <input id={id} value={envText} onChange={(e) => onEnvText(e.target.value)} aria-describedby={describedBy} aria-invalid={!!error} spellCheck={false} className={`${control} w-full font-mono sm:w-72`} />;
      break;
    case 'flag':
      input = (
        <span id={id} className="inline-flex items-center gap-1.5 rounded-md bg-zinc-100 px-2 py-1 text-sm font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
          <svg aria-hidden viewBox="0 0 16 16" className="size-3.5 fill-current">
            <path d="M5 7V5a3 3 0 1 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 1 0-3 0v2Z" />
          </svg>
          {value ? 'Always required' : 'Not required'}
        </span>
      );
      break;
    case 'share': {
      const n = Number(value);
      input = (
        <NumberInput
          id={id}
          value={Number.isFinite(n) ? Math.round(n * 1000) / 10 : Number.NaN}
          min={(f.min ?? 0) * 100}
          max={(f.max ?? 1) * 100}
          step={0.5}
          unit="%"
          describedBy={describedBy}
          invalid={!!error}
          onChange={(v) => onChange(Number.isFinite(v) ? Math.round(v * 10) / 1000 : v)}
        />
      );
      break;
    }
    default:
      input = <NumberInput id={id} value={Number(value)} min={f.min} max={f.max} step={1} unit={UNIT[f.kind]} describedBy={describedBy} invalid={!!error} onChange={onChange} />;
  }
  return (
    <div className="grid gap-x-6 gap-y-1.5 py-3 first:pt-0 last:pb-0 sm:grid-cols-[minmax(0,1fr)_auto]" data-field={f.path}>
      <div>
        {f.kind === 'roles' || f.kind === 'flag' ? (
          <span id={`${id}-label`} className="text-sm font-medium">
            {f.label}
          </span>
        ) : (
          <label htmlFor={id} className="text-sm font-medium">
            {f.label}
          </label>
        )}
        {changed ? (
          <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-300">was {formatPolicyValue(f.path, was)}</span>
        ) : null}
        <p id={helpId} className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          {f.help}
          {f.fixed ? ` ${f.fixed}` : ''}
          {f.floor && f.min !== undefined ? ` Never below ${formatPolicyValue(f.path, f.min)}: ${f.floor}.` : ''}
        </p>
        {error ? (
          <p id={errId} className="mt-1 text-xs font-medium text-red-700 dark:text-red-300" data-testid="field-error">
            {error.charAt(0).toUpperCase() + error.slice(1)}
          </p>
        ) : null}
      </div>
      <div className={`sm:pt-0.5 sm:text-right ${f.kind === 'roles' || f.kind === 'environments' || f.kind === 'flag' ? 'sm:pr-[4.375rem]' : ''}`}>{input}</div>
    </div>
  );
}

function NumberInput({
  id,
  value,
  min,
  max,
  step,
  unit,
  describedBy,
  invalid,
  onChange,
}: {
  id: string;
  value: number;
  min?: number;
  max?: number;
  step: number;
  unit?: string;
  describedBy: string;
  invalid: boolean;
  onChange: (v: number) => void;
}) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={Number.isFinite(value) ? value : ''}
        min={min}
        max={max}
        step={step}
        onChange={(e) => onChange(parseNumber(e.target.value))}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        className={`${control} w-20 text-right tabular`}
      />
      {unit ? <span className="w-16 text-left text-xs text-zinc-500 dark:text-zinc-400">{unit}</span> : <span className="w-16" aria-hidden />}
    </span>
  );
}
