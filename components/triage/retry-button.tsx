'use client';
// Fetch a pull request from GitHub again now, instead of waiting for the scheduled retry.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';

export function RetryButton({ change }: { change: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setMessage(null);
          try {
            await apiFetch('/api/v1/triage/retry', { body: { change } });
            setMessage({ ok: true, text: 'Queued: refresh in a few seconds.' });
            router.refresh();
          } catch (err) {
            setMessage({ ok: false, text: err instanceof ApiError ? err.message : 'Could not queue the retry.' });
          } finally {
            setBusy(false);
          }
        }}
        className="rounded-md border border-zinc-300 px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
      >
        {busy ? 'Queuing…' : 'Retry now'}
      </button>
      {message ? (
        <span role={message.ok ? 'status' : 'alert'} className={`text-xs ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
