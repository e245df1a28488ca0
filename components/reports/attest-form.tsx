'use client';
// "I have reviewed this report": a director or VP attests the week, with an optional note.
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export function AttestForm({ isoWeek }: { isoWeek: string }) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();
  return (
    <form
      className="no-print mt-3 flex flex-col gap-2 sm:flex-row sm:items-end"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await apiFetch(`/api/v1/reports/weekly/${isoWeek}/attestations`, { body: { note } });
          startTransition(() => router.refresh());
        } catch (err) {
          setError(err instanceof ApiError ? err.message : 'Could not record the attestation; try again.');
        } finally {
          setBusy(false);
        }
      }}
    >
      <label className="flex-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">
        Note (optional)
        <input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          placeholder="e.g. Discussed in the Monday ops review; actions in OPS-231"
          className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60"
      >
        {busy ? 'Recording…' : 'Attest this report'}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
