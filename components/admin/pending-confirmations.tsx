'use client';
// Requests one administrator made that wait for a second, different administrator to confirm or reject.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export interface PendingRow {
  id: number;
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  requestedBy: string;
  requestedAt: string;
}

function describe(r: PendingRow): string {
  const p = r.payload;
  const bits = ['role', 'level', 'team', 'title', 'tier'].filter((k) => p[k] !== undefined && p[k] !== null).map((k) => `${k} ${String(p[k])}`);
  if (r.kind === 'person.create') return `Add ${r.subject} (${bits.join(', ')})`;
  if (r.kind === 'person.password') return `Set a new password for ${r.subject}`;
  if (r.kind === 'service.tier') return `Lower ${r.subject} to ${bits.join(', ')}`;
  return `Change ${r.subject}: ${bits.join(', ')}`;
}

export function PendingConfirmations({ items, me }: { items: PendingRow[]; me: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  if (!items.length) return null;
  const decide = async (id: number, what: 'confirm' | 'reject') => {
    setBusy(id);
    setError(null);
    try {
      await apiFetch(`/api/v1/confirmations/${id}/${what}`, { method: 'POST', body: {} });
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server; nothing changed.');
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="pending-confirmations" data-testid="pending-confirmations" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/30">
      <h2 id="pending-confirmations" className="text-sm font-semibold">Pending confirmations</h2>
      <p className="text-xs text-zinc-600 dark:text-zinc-300">These take effect only when a second, different administrator confirms them.</p>
      <ul className="mt-2 space-y-1.5">
        {items.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-2 text-sm" data-testid={`confirmation-${r.id}`}>
            <span>{describe(r)}</span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">asked by {r.requestedBy}</span>
            {r.requestedBy === me ? (
              <span className="text-xs text-zinc-500 dark:text-zinc-400">waiting for another administrator</span>
            ) : (
              <span className="ml-auto flex gap-1.5">
                <button type="button" disabled={busy === r.id} onClick={() => decide(r.id, 'confirm')} className="rounded-md bg-accent-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-accent-700 disabled:opacity-50">
                  Confirm
                </button>
                <button type="button" disabled={busy === r.id} onClick={() => decide(r.id, 'reject')} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900">
                  Reject
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </section>
  );
}
