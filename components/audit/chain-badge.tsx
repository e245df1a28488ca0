// The audit chain's status, always on the audit pages: verified with the event count, or the
// first broken event in red. Checked on every view (see lib/audit/chain-status.ts).
import { getDb } from '@/db';
import { getChainStatus } from '@/lib/audit/chain-status';
import { formatAge } from '@/lib/format';

function ago(iso: string): string {
  const age = formatAge(iso);
  return age === 'just now' ? age : `${age} ago`;
}

export async function ChainBadge({ verifyAction }: { verifyAction?: () => Promise<void> }) {
  const s = await getChainStatus(await getDb());
  const verifyButton = verifyAction ? (
    <form action={verifyAction} className="no-print">
      <button type="submit" className="rounded px-1.5 py-0.5 text-xs font-medium underline-offset-2 hover:underline">
        Verify all again
      </button>
    </form>
  ) : null;
  if (s.ok) {
    return (
      <div
        role="status"
        data-testid="chain-badge"
        data-state="ok"
        className="inline-flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-2.5 py-1 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-300"
        title={`Tamper check and new events verified just now; every event re-hashed ${ago(s.fullyVerifiedAt)}.`}
      >
        <span aria-hidden>✓</span>
        <span className="font-medium">Audit chain verified — {s.events.toLocaleString('en-US')} events</span>
        <span className="text-xs text-emerald-700/80 dark:text-emerald-400/80">full check {ago(s.fullyVerifiedAt)}</span>
        {verifyButton}
      </div>
    );
  }
  return (
    <div
      role="alert"
      data-testid="chain-badge"
      data-state="broken"
      className="inline-flex flex-wrap items-center gap-2 rounded-md border border-red-300 bg-red-600 px-2.5 py-1 text-sm text-white dark:border-red-500"
    >
      <span aria-hidden>✕</span>
      <span className="font-semibold">Audit chain broken at event #{s.firstBrokenId}</span>
      <span className="text-xs text-red-100">{s.reason} ({s.events.toLocaleString('en-US')} events before it verify)</span>
      {verifyButton}
    </div>
  );
}

export function ChainBadgeFallback() {
  return (
    <div role="status" data-testid="chain-badge" data-state="checking" className="inline-flex items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-1 text-sm text-zinc-500 dark:border-zinc-800">
      <span className="size-2 animate-pulse rounded-full bg-zinc-400" aria-hidden />
      Verifying the audit chain…
    </div>
  );
}
