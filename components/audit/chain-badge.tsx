// The audit chain's status, always on the audit pages: verified with the event count, or the
// first broken event in red. Checked on every view (see lib/audit/chain-status.ts).
import { getDb } from '@/db';
import { getChainStatus } from '@/lib/audit/chain-status';
import { verifyAgainstCheckpoints } from '@/lib/audit/checkpoints';
import { formatAge } from '@/lib/format';

function ago(iso: string): string {
  const age = formatAge(iso);
  return age === 'just now' ? age : `${age} ago`;
}

/** One line under the badge: the chain compared with the last signed checkpoint kept outside the database. */
async function AnchorLine() {
  const a = await verifyAgainstCheckpoints(await getDb());
  if (!a.configured) {
    return (
      <p data-testid="chain-anchor" data-state="off" className="text-xs text-zinc-500">
        Not anchored outside the database: set AUDIT_CHECKPOINT_DIR and AUDIT_SIGNING_KEY (docs/security.md).
      </p>
    );
  }
  if (a.problems.length) {
    return (
      <p data-testid="chain-anchor" data-state="broken" role="alert" className="text-xs font-medium text-red-700 dark:text-red-400">
        Checkpoint check failed: {a.problems[0]!.reason}
        {a.problems.length > 1 ? ` (+${a.problems.length - 1} more)` : ''}
      </p>
    );
  }
  if (!a.last) {
    return (
      <p data-testid="chain-anchor" data-state="none" className="text-xs text-zinc-500">
        No signed checkpoint yet.
      </p>
    );
  }
  return (
    <p data-testid="chain-anchor" data-state="ok" className="text-xs text-emerald-700 dark:text-emerald-400">
      Last checkpoint: event #{a.last.eventId} ({a.last.count.toLocaleString('en-US')} events) signed {ago(a.last.at)} — verified against it.
    </p>
  );
}

export async function ChainBadge({ verifyAction }: { verifyAction?: () => Promise<void> }) {
  return (
    <div className="flex flex-col gap-1">
      <ChainStatusBadge verifyAction={verifyAction} />
      <AnchorLine />
    </div>
  );
}

async function ChainStatusBadge({ verifyAction }: { verifyAction?: () => Promise<void> }) {
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
