'use client';
// On the change page: "this change caused that incident" — pick one of the incidents on its
// services since it was submitted, or give an incident id.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export interface IncidentOption {
  externalId: string;
  label: string;
}

export function IncidentLinkForm({ changeId, options }: { changeId: number; options: IncidentOption[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [incident, setIncident] = useState(options[0]?.externalId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  if (!open) {
    return (
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button type="button" onClick={() => setOpen(true)} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800">
          Link an incident this change caused
        </button>
        {status ? <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">{status}</p> : null}
      </div>
    );
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch<{ incident: { externalId: string }; rescored: unknown[] }>(`/api/v1/incidents/${encodeURIComponent(incident.trim())}/link`, { body: { change: changeId } });
      setStatus(`Recorded as the cause of ${r.incident.externalId}.${r.rescored.length ? ` ${r.rescored.length} open change${r.rescored.length === 1 ? '' : 's'} re-scored.` : ''}`);
      setOpen(false);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not link the incident; try again.');
    } finally {
      setBusy(false);
    }
  }

  const input = 'w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';
  return (
    <form onSubmit={submit} aria-label="Link an incident" className="mt-3 space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950/50">
      {options.length ? (
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
          Incident on these services since this change
          <select value={incident} onChange={(e) => setIncident(e.target.value)} className={`${input} mt-1`}>
            {options.map((o) => (
              <option key={o.externalId} value={o.externalId}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
        Incident id
        <input value={incident} onChange={(e) => setIncident(e.target.value)} placeholder="MI-2026-004" className={`${input} mt-1 font-mono`} required />
      </label>
      {error ? <p role="alert" className="text-xs text-red-700 dark:text-red-400">{error}</p> : null}
      <div className="flex items-center gap-2">
        <button type="submit" disabled={busy || !incident.trim()} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60">
          {busy ? 'Linking…' : 'Link as its cause'}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Cancel
        </button>
      </div>
    </form>
  );
}
