'use client';
// The AI-detection settings as two editable tables — PR label → AI level, coding-agent login →
// tool — checked as you type with the rules the server applies. Save replaces both lists; the
// server checks again, records the change in the audit trail and the next pull request uses it.
import { useRouter } from 'next/navigation';
import { useId, useMemo, useRef, useState } from 'react';
import type { AiDetectionSettings } from '@/lib/github/ai-detect';
import {
  AI_DETECTION_LIMITS,
  botLoginIssue,
  describeAiDetectionChange,
  diffAiDetection,
  labelNameIssue,
  LABEL_LEVELS,
  toolIssue,
  type AiDetectionDiffEntry,
  type AiDetectionIssue,
  type LabelLevel,
} from '@/lib/github/ai-detection-schema';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

type Field = 'labels' | 'agentBots';
interface Row {
  id: number;
  key: string;
  value: string;
}
type Rows = Record<Field, Row[]>;

const LEVEL_TEXT: Record<LabelLevel, string> = { assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' };

const control =
  'w-full rounded-md border bg-white px-2 py-1.5 text-sm focus:ring-2 focus:outline-none dark:bg-zinc-950 aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus:ring-red-500/20 border-zinc-300 focus:border-accent-500 focus:ring-accent-500/20 dark:border-zinc-700';

interface SaveResponse {
  settings: AiDetectionSettings;
  version: string;
  changed: AiDetectionDiffEntry[];
}

/** Rows with ids from `first` on (the first render's ids are the same on the server and in the browser). */
function toRows(s: AiDetectionSettings, first = 0): Rows {
  const labels = Object.entries(s.labels).map(([key, value], i) => ({ id: first + i, key, value }));
  return { labels, agentBots: Object.entries(s.agentBots).map(([key, value], i) => ({ id: first + labels.length + i, key, value })) };
}

function toSettings(rows: Rows): AiDetectionSettings {
  return {
    labels: Object.fromEntries(rows.labels.map((r) => [r.key.trim(), r.value as LabelLevel])),
    agentBots: Object.fromEntries(rows.agentBots.map((r) => [r.key.trim(), r.value.trim()])),
  };
}

/** Each row's first problem, by row id. */
function rowIssues(rows: Rows): Map<number, string> {
  const out = new Map<number, string>();
  for (const field of ['labels', 'agentBots'] as const) {
    const seen = new Map<string, string>();
    for (const r of rows[field]) {
      const issue = field === 'labels' ? labelNameIssue(r.key) : (botLoginIssue(r.key) ?? toolIssue(r.value));
      if (issue) {
        out.set(r.id, issue);
        continue;
      }
      const folded = r.key.trim().toLowerCase();
      const first = seen.get(folded);
      if (first !== undefined) out.set(r.id, `listed twice (also as "${first}"; case does not matter)`);
      else seen.set(folded, r.key.trim());
    }
  }
  return out;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function AiDetectionEditor({ initial, version: initialVersion, defaults }: { initial: AiDetectionSettings; version: string; defaults: AiDetectionSettings }) {
  const router = useRouter();
  // New rows' ids, taken in event handlers only: above any the first render gave out.
  const nextId = useRef(1_000_000);
  const next = () => (nextId.current += 1_000);
  const [saved, setSaved] = useState(initial);
  const [version, setVersion] = useState(initialVersion);
  const [rows, setRows] = useState<Rows>(() => toRows(initial));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverIssues, setServerIssues] = useState<AiDetectionIssue[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const issues = useMemo(() => rowIssues(rows), [rows]);
  const changes = useMemo(() => diffAiDetection(saved, toSettings(rows)), [saved, rows]);
  const incomplete = rows.labels.some((r) => !r.key.trim()) || rows.agentBots.some((r) => !r.key.trim());
  const dirty = changes.length > 0 || incomplete;
  const atDefaults = diffAiDetection(defaults, toSettings(rows)).length === 0 && !incomplete;

  /** The error a row shows: its own once touched (or after a Save), else what the server said about it. */
  function errorOf(field: Field, r: Row): string | undefined {
    const local = issues.get(r.id);
    if (local && (attempted || r.key.trim() || (field === 'agentBots' && r.value.trim()))) return local;
    return serverIssues.find((i) => i.path === `${field}.${r.key.trim()}` || i.path === `${field}.${r.key}`)?.message;
  }

  function edit(f: (rows: Rows) => Rows) {
    setRows(f);
    setServerIssues([]);
    setMessage(null);
  }
  const update = (field: Field, id: number, patch: Partial<Row>) => edit((all) => ({ ...all, [field]: all[field].map((r) => (r.id === id ? { ...r, ...patch } : r)) }));
  const remove = (field: Field, id: number) => edit((all) => ({ ...all, [field]: all[field].filter((r) => r.id !== id) }));
  const add = (field: Field) => {
    const id = next();
    edit((all) => ({ ...all, [field]: [...all[field], { id, key: '', value: field === 'labels' ? 'assisted' : '' }] }));
  };
  const reset = (s: AiDetectionSettings) => {
    setRows(toRows(s, next()));
    setAttempted(false);
    setServerIssues([]);
    setMessage(null);
  };

  async function save() {
    setAttempted(true);
    if (issues.size) {
      setMessage({ kind: 'error', text: `Fix the ${issues.size === 1 ? 'row' : `${issues.size} rows`} marked below; nothing was saved.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const res = await apiFetch<SaveResponse>('/api/v1/settings/ai-detection', { method: 'PUT', body: toSettings(rows), headers: { 'if-match': version } });
      setSaved(res.settings);
      setVersion(res.version);
      reset(res.settings);
      setMessage({
        kind: 'ok',
        text: res.changed.length
          ? `Saved: ${res.changed.map(describeAiDetectionChange).join('; ')}. Pull requests are detected under these settings from the next delivery.`
          : 'Nothing to save: these are already the settings in force.',
      });
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError) {
        setServerIssues(Array.isArray(err.details) ? (err.details as AiDetectionIssue[]).filter((d) => d && typeof d.path === 'string') : []);
        setMessage({ kind: 'error', text: err.message });
      } else {
        setMessage({ kind: 'error', text: 'Could not reach the server; the settings did not change.' });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      aria-label="AI-detection settings"
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty && !busy) void save();
      }}
    >
      <Section
        field="labels"
        title="Pull-request labels"
        intro="A pull request carrying one of these labels (case does not matter) is marked at that AI level. The strongest finding wins."
        keyHeader="Label"
        valueHeader="AI level"
        addText="Add label"
        empty="No label counts: labels are ignored for AI detection."
        rows={rows.labels}
        errorOf={(r) => errorOf('labels', r)}
        onAdd={() => add('labels')}
        onRemove={(id) => remove('labels', id)}
        renderKey={(r, props) => <input {...props} value={r.key} maxLength={AI_DETECTION_LIMITS.labelChars + 10} placeholder="ai-assisted" spellCheck={false} onChange={(e) => update('labels', r.id, { key: e.target.value })} className={`${control} font-mono`} />}
        renderValue={(r, props) => (
          <select {...props} value={r.value} onChange={(e) => update('labels', r.id, { value: e.target.value })} className={control}>
            {LABEL_LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_TEXT[l]}
              </option>
            ))}
          </select>
        )}
      />
      <Section
        field="agentBots"
        title="Coding agents"
        intro="A pull request opened by, or with commits authored by, one of these GitHub accounts is marked as written by an AI agent, with the tool named here."
        keyHeader="GitHub login"
        valueHeader="Tool"
        addText="Add agent"
        empty="No account counts as a coding agent."
        rows={rows.agentBots}
        errorOf={(r) => errorOf('agentBots', r)}
        onAdd={() => add('agentBots')}
        onRemove={(id) => remove('agentBots', id)}
        renderKey={(r, props) => <input {...props} value={r.key} placeholder="our-agent[bot]" spellCheck={false} autoCapitalize="off" onChange={(e) => update('agentBots', r.id, { key: e.target.value })} className={`${control} font-mono`} />}
        renderValue={(r, props) => <input {...props} value={r.value} maxLength={AI_DETECTION_LIMITS.toolChars + 10} placeholder="Internal agent" onChange={(e) => update('agentBots', r.id, { value: e.target.value })} className={control} />}
      />

      <div className="sticky bottom-0 z-10 -mx-1 rounded-lg border border-zinc-200 bg-white/95 p-3 shadow-sm backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        {message ? (
          <p
            role={message.kind === 'error' ? 'alert' : 'status'}
            data-testid={message.kind === 'ok' ? 'ai-detection-saved' : 'ai-detection-error'}
            className={`mb-3 rounded-md px-3 py-2 text-sm ${message.kind === 'error' ? 'bg-red-50 text-red-800 dark:bg-red-500/10 dark:text-red-200' : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-200'}`}
          >
            {message.text}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" disabled={!dirty || busy} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" disabled={!dirty || busy} onClick={() => reset(saved)} className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800">
            Discard
          </button>
          <button
            type="button"
            disabled={atDefaults || busy}
            onClick={() => reset(defaults)}
            title="Fill the tables with the built-in defaults (nothing is saved until you press Save)"
            className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Restore defaults
          </button>
          <span className="ml-auto text-xs text-zinc-500 tabular dark:text-zinc-400" aria-live="polite">
            {attempted && issues.size
              ? `${issues.size} row${issues.size === 1 ? '' : 's'} to fix`
              : changes.length
                ? `${changes.length} unsaved change${changes.length === 1 ? '' : 's'}`
                : incomplete
                  ? 'A new row is empty'
                  : 'No unsaved changes'}
          </span>
        </div>
      </div>
    </form>
  );
}

interface CellProps {
  id: string;
  'aria-label': string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

function Section({
  field,
  title,
  intro,
  keyHeader,
  valueHeader,
  addText,
  empty,
  rows,
  errorOf,
  onAdd,
  onRemove,
  renderKey,
  renderValue,
}: {
  field: Field;
  title: string;
  intro: string;
  keyHeader: string;
  valueHeader: string;
  addText: string;
  empty: string;
  rows: Row[];
  errorOf: (r: Row) => string | undefined;
  onAdd: () => void;
  onRemove: (id: number) => void;
  renderKey: (r: Row, props: CellProps) => React.ReactNode;
  renderValue: (r: Row, props: CellProps) => React.ReactNode;
}) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid={`ai-detection-${field}`}>
      <div className="flex flex-wrap items-start justify-between gap-2 p-4 pb-3">
        <div>
          <h2 id={`${id}-title`} className="text-sm font-semibold">
            {title} <span className="ml-1 text-xs font-normal text-zinc-500 tabular dark:text-zinc-400">{rows.length}</span>
          </h2>
          <p className="mt-0.5 max-w-2xl text-xs text-zinc-500 dark:text-zinc-400">{intro}</p>
        </div>
        <button type="button" onClick={onAdd} className="rounded-md border border-zinc-300 px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800">
          + {addText}
        </button>
      </div>
      {rows.length ? (
        <table className="w-full text-left text-sm">
          <thead className="border-y border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
            <tr>
              <th className="w-1/2 px-4 py-2 font-medium">{keyHeader}</th>
              <th className="px-3 py-2 font-medium">{valueHeader}</th>
              <th className="w-12 px-3 py-2">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((r, i) => {
              const error = errorOf(r);
              const errId = `${id}-${r.id}-err`;
              const name = r.key.trim() || `row ${i + 1}`;
              return (
                <tr key={r.id} className="align-top" data-row={r.key.trim()}>
                  <td className="px-4 py-1.5">
                    {renderKey(r, { id: `${id}-${r.id}-key`, 'aria-label': `${keyHeader} (${name})`, 'aria-invalid': !!error, 'aria-describedby': error ? errId : undefined })}
                    {error ? (
                      <p id={errId} className="mt-1 text-xs font-medium text-red-700 dark:text-red-300" data-testid="field-error">
                        {sentence(error)}
                      </p>
                    ) : null}
                  </td>
                  <td className="px-3 py-1.5">{renderValue(r, { id: `${id}-${r.id}-value`, 'aria-label': `${valueHeader} for ${name}`, 'aria-invalid': false })}</td>
                  <td className="px-3 py-1.5 text-right">
                    <button
                      type="button"
                      onClick={() => onRemove(r.id)}
                      aria-label={`Remove ${name}`}
                      title="Remove"
                      className="rounded-md p-1.5 text-zinc-400 hover:bg-red-50 hover:text-red-700 dark:text-zinc-500 dark:hover:bg-red-500/10 dark:hover:text-red-300"
                    >
                      <svg aria-hidden viewBox="0 0 16 16" className="size-4 fill-current">
                        <path d="M6.5 1h3A1.5 1.5 0 0 1 11 2.5V3h2.25a.75.75 0 0 1 0 1.5h-.55l-.62 8.66A2 2 0 0 1 10.09 15H5.91a2 2 0 0 1-1.99-1.84L3.3 4.5h-.55a.75.75 0 0 1 0-1.5H5v-.5A1.5 1.5 0 0 1 6.5 1Zm0 1.5V3h3v-.5h-3ZM4.8 4.5l.61 8.55a.5.5 0 0 0 .5.45h4.18a.5.5 0 0 0 .5-.45l.61-8.55H4.8Z" />
                      </svg>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="border-t border-zinc-200 px-4 py-3 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">{empty}</p>
      )}
    </section>
  );
}
