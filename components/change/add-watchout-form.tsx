'use client';
// "Add watch-out" for seniors: scoped to a service, a path glob or a config key; posts to /api/v1/watchouts.
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

type Scope = 'service' | 'path' | 'config_key';

const PLACEHOLDER: Record<Scope, string> = { service: '', path: 'infra/terraform/**', config_key: 'checkout.timeout_ms' };

export function AddWatchoutForm({ changeId, services }: { changeId: number; services: string[] }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope>('service');
  const [service, setService] = useState(services[0] ?? '');
  const [pattern, setPattern] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (!open) {
    return (
      <div className="mt-3 flex items-center gap-3">
        <button type="button" onClick={() => { setOpen(true); setDone(null); }} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800">
          Add watch-out
        </button>
        {done ? <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">{done}</p> : null}
      </div>
    );
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = scope === 'service' ? { scope, service, text, change: changeId } : { scope, pattern, text, change: changeId };
      const res = await apiFetch<{ match: { reason: string } | null }>('/api/v1/watchouts', { body });
      setDone(res.match ? `Added. It applies here: ${res.match.reason}.` : 'Added. It does not match this change; it will surface on the changes it does match.');
      setText('');
      setPattern('');
      setOpen(false);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not add the watch-out; try again.');
    } finally {
      setBusy(false);
    }
  }

  const input = 'w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';
  return (
    <form onSubmit={submit} className="mt-3 space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950/50" aria-label="Add a watch-out">
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">About</legend>
        <div className="flex gap-3 text-sm">
          {(['service', 'path', 'config_key'] as const).map((s) => (
            <label key={s} className="flex items-center gap-1.5">
              <input type="radio" name={`${id}-scope`} value={s} checked={scope === s} onChange={() => setScope(s)} />
              {s === 'service' ? 'Service' : s === 'path' ? 'Path glob' : 'Config key'}
            </label>
          ))}
        </div>
      </fieldset>
      {scope === 'service' ? (
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
          Service
          <select value={service} onChange={(e) => setService(e.target.value)} className={`${input} mt-1`}>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
          {scope === 'path' ? 'Path glob' : 'Config key'}
          <input value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder={PLACEHOLDER[scope]} className={`${input} mt-1 font-mono`} required />
        </label>
      )}
      <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
        What to watch out for
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} required minLength={10} maxLength={4000} className={`${input} mt-1`} placeholder="What you know that the next reviewer will not: the trap, how to check it, what it cost last time." />
      </label>
      {error ? <p role="alert" className="text-xs text-red-700 dark:text-red-400">{error}</p> : null}
      <div className="flex items-center gap-2">
        <button type="submit" disabled={busy} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60">
          {busy ? 'Adding…' : 'Add watch-out'}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Cancel
        </button>
      </div>
    </form>
  );
}
