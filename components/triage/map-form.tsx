'use client';
// Map a repository's paths (a glob) to a service; the repository's unmapped changes are
// re-submitted with it at once.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

interface Answer {
  mapping: { repo: string; pathGlob: string; service: string; created: boolean };
  remapped: { externalId: string; services: string[] }[];
  refetching: string[];
}

export function MapForm({ repo, suggestedGlob, services }: { repo: string; suggestedGlob: string; services: string[] }) {
  const router = useRouter();
  const [glob, setGlob] = useState(suggestedGlob);
  const [service, setService] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch<Answer>('/api/v1/path-mappings', { body: { repo, pathGlob: glob, service } });
      const n = r.remapped.length + r.refetching.length;
      setStatus(`${r.mapping.created ? 'Mapped' : 'Already mapped'}: ${repo} ${glob} → ${service}. ${n ? `${n} change${n === 1 ? '' : 's'} re-submitted.` : 'No change matched that glob.'}`);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save the mapping; try again.');
    } finally {
      setBusy(false);
    }
  }

  const input = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';
  return (
    <form onSubmit={submit} aria-label={`Map ${repo} to a service`} className="flex flex-wrap items-end gap-2">
      <label className="text-xs text-zinc-600 dark:text-zinc-300">
        Paths of {repo}
        <input value={glob} onChange={(e) => setGlob(e.target.value)} className={`${input} mt-0.5 block w-48 font-mono`} required />
      </label>
      <label className="text-xs text-zinc-600 dark:text-zinc-300">
        belong to
        <select value={service} onChange={(e) => setService(e.target.value)} className={`${input} mt-0.5 block w-48`} required>
          <option value="">Choose a service…</option>
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || !service} className="rounded-md bg-accent-600 px-3 py-1 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60">
        {busy ? 'Mapping…' : 'Map and re-submit'}
      </button>
      {error ? <p role="alert" className="w-full text-xs text-red-700 dark:text-red-400">{error}</p> : null}
      {status ? <p role="status" className="w-full text-xs text-emerald-700 dark:text-emerald-400">{status}</p> : null}
    </form>
  );
}
