'use client';
// On the incident page: name the change that caused it (picked from the likely ones, or by id /
// external id), or clear it. The server re-scores the open changes on the same services.
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export interface CauseCandidate {
  id: number;
  externalId: string;
  title: string;
  when: string;
}

interface LinkAnswer {
  change: { id: number; externalId: string } | null;
  rescored: { externalId: string; before: { score: number }; after: { score: number } }[];
}

export function CauseLinkForm({ incident, current, candidates }: { incident: string; current: { id: number; externalId: string } | null; candidates: CauseCandidate[] }) {
  const router = useRouter();
  const id = useId();
  // Starts on the recorded cause (or on nothing): a pre-selected other change would make one click
  // of the primary button silently re-assign the cause, which moves later risk scores and reports.
  const [ref, setRef] = useState(current ? String(current.id) : '');
  const unchanged = current !== null && (ref.trim() === String(current.id) || ref.trim() === current.externalId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function send(change: string | number | null) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const r = await apiFetch<LinkAnswer>(`/api/v1/incidents/${encodeURIComponent(incident)}/link`, { body: { change } });
      const moved = r.rescored.length ? ` ${r.rescored.length} open change${r.rescored.length === 1 ? '' : 's'} on these services re-scored.` : '';
      setStatus(`${r.change ? `Linked to ${r.change.externalId}.` : 'Cause cleared.'}${moved}`);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save the link; try again.');
    } finally {
      setBusy(false);
    }
  }

  const input = 'w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';
  return (
    <div className="min-w-0 space-y-2">
      <form
        aria-label="Link the cause change"
        onSubmit={(e) => {
          e.preventDefault();
          if (ref.trim()) void send(ref.trim());
        }}
        className="min-w-0 space-y-2"
      >
        {candidates.length ? (
          <fieldset className="min-w-0 space-y-1">
            <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">Changes to these services in the 30 days before it started</legend>
            {candidates.map((c) => (
              <label key={c.id} className="flex min-w-0 items-start gap-2 rounded px-1 py-0.5 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
                <input type="radio" name={`${id}-cause`} value={c.id} checked={ref === String(c.id)} onChange={() => setRef(String(c.id))} className="mt-1" />
                <span className="min-w-0 flex-1">
                  <span className="block truncate" title={c.title}>
                    {c.title}
                  </span>
                  <span className="font-mono text-xs text-zinc-500">{c.externalId}</span> <span className="text-xs text-zinc-500">· {c.when}</span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
          Change id or external id
          <input value={ref} onChange={(e) => setRef(e.target.value)} placeholder="acme/checkout#1234" className={`${input} mt-1 font-mono`} />
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" disabled={busy || !ref.trim() || unchanged} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60">
            {busy ? 'Saving…' : current ? 'Change the cause' : 'Link as the cause'}
          </button>
          {current ? (
            <button type="button" disabled={busy} onClick={() => void send(null)} className="rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm text-zinc-700 hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800">
              Clear the cause
            </button>
          ) : null}
        </div>
      </form>
      {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
      {status ? <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">{status}</p> : null}
    </div>
  );
}
