'use client';
// Approve / reject / withdraw on the change page. Shows where sign-off stands ("1 of 2 —
// needs one more approval", "2 of 2 — ready to deploy") and, to whoever may not sign off,
// why not instead of a button. The server decides everything again; this only asks.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import type { SignOffView } from '@/db/queries/sign-off';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { queryKeys } from '@/lib/query/keys';

type Decision = 'approve' | 'reject';

export function signOffHeadline(v: Pick<SignOffView, 'required' | 'valid' | 'rejects' | 'gate' | 'breakGlassActive'>): { text: string; tone: 'ok' | 'wait' | 'blocked' } {
  const count = `${v.valid} of ${v.required}`;
  if (v.breakGlassActive) {
    return { text: v.valid >= v.required ? `${count} — signed off; a break-glass override is also open` : `${count} — deploys allowed only by the break-glass override`, tone: 'wait' };
  }
  if (v.rejects > 0) return { text: `Rejected — blocked until the reject is withdrawn or a new revision arrives`, tone: 'blocked' };
  if (v.gate.allowed) return { text: v.required === 0 ? 'No approval required — ready to deploy' : `${count} — ready to deploy`, tone: 'ok' };
  if (v.valid < v.required) {
    const missing = v.required - v.valid;
    return { text: `${count} — needs ${missing === 1 ? 'one more approval' : `${missing} more approvals`}`, tone: 'wait' };
  }
  const reason = v.gate.reasons.includes('no_predeploy_validation') ? 'no automated pre-deployment validation' : (v.gate.text[0] ?? 'blocked by the gate').replace(/\.$/, '').toLowerCase();
  return { text: `${count} — still blocked: ${reason}`, tone: 'blocked' };
}

const TONE: Record<'ok' | 'wait' | 'blocked', string> = {
  ok: 'bg-emerald-50 text-emerald-900 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-400/25',
  wait: 'bg-zinc-50 text-zinc-800 ring-zinc-300 dark:bg-zinc-800/60 dark:text-zinc-100 dark:ring-zinc-700',
  blocked: 'bg-red-50 text-red-900 ring-red-600/25 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25',
};

export function SignOffActions({ changeId, initial }: { changeId: number; initial: SignOffView }) {
  const router = useRouter();
  const qc = useQueryClient();
  const commentId = useId();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const { data: view = initial } = useQuery({
    queryKey: queryKeys.signOff(changeId),
    queryFn: ({ signal }) => apiFetch<SignOffView>(`/api/v1/changes/${changeId}/approvals`, { signal }),
    initialData: initial,
    // Live: someone else's sign-off, a new revision or break-glass shows without a reload.
    staleTime: 4_000,
    refetchInterval: 5_000,
    refetchOnWindowFocus: true,
  });
  // When the state moved under us, the server-rendered parts of the page (decisions, gate) follow.
  const signature = [view.revision?.sha, view.valid, view.rejects, view.breakGlassActive, view.gate.allowed, view.decisions.length, view.change.status].join('|');
  const shown = useRef(signature);
  useEffect(() => {
    if (shown.current === signature) return;
    shown.current = signature;
    router.refresh();
  }, [signature, router]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: queryKeys.change(changeId) });
    await qc.invalidateQueries({ queryKey: queryKeys.queueAll });
    // The server-rendered parts of the page (decisions, gate) follow.
    router.refresh();
  };

  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      apiFetch<{ approvals: { required: number; valid: number } }>(`/api/v1/changes/${changeId}/approvals`, {
        body: { decision, comment: comment.trim() || null, revisionSha: view.revision?.sha ?? '' },
      }),
    onMutate: () => {
      setError(null);
      setDone(null);
    },
    onSuccess: async (_res, decision) => {
      setComment('');
      setDone(decision === 'approve' ? 'Approved.' : 'Rejected.');
      await refresh();
    },
    onError: async (err) => {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server; nothing was recorded.');
      // A newer revision or someone else's decision: show the state as it is now.
      if (err instanceof ApiError && (err.code === 'stale_revision' || err.code === 'already_approved')) await refresh();
    },
  });

  const withdraw = useMutation({
    mutationFn: (approvalId: number) => apiFetch(`/api/v1/changes/${changeId}/approvals/${approvalId}`, { method: 'DELETE' }),
    onMutate: () => {
      setError(null);
      setDone(null);
    },
    onSuccess: async () => {
      setDone('Withdrawn: it no longer counts.');
      await refresh();
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; nothing was withdrawn.'),
  });

  const busy = decide.isPending || withdraw.isPending;
  const head = signOffHeadline(view);
  const own = view.decisions.find((d) => d.id === view.viewer.ownDecisionId);
  const rejectNeedsComment = comment.trim().length === 0;

  return (
    <div className="space-y-3" data-testid="sign-off-actions">
      <p role="status" aria-live="polite" data-testid="sign-off-headline" className={`rounded-md px-3 py-2 text-sm font-semibold tabular ring-1 ${TONE[head.tone]}`}>
        {head.text}
      </p>

      {view.viewer.canDecide ? (
        <form
          className="space-y-2"
          aria-label="Sign off this revision"
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate('approve');
          }}
        >
          <label htmlFor={commentId} className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
            Comment <span className="font-normal text-zinc-500 dark:text-zinc-400">(what you checked; required to reject)</span>
          </label>
          <textarea
            id={commentId}
            data-sign-off-comment
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={3}
            maxLength={10_000}
            placeholder="Read the diff and the blast radius; the rollout plan covers the Tier-1 dependents."
            className="w-full resize-y rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm placeholder:text-zinc-400 focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-500"
          />
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="submit"
              disabled={busy}
              className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-accent-700 disabled:opacity-60"
            >
              {decide.isPending && decide.variables === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button
              type="button"
              disabled={busy || rejectNeedsComment}
              title={rejectNeedsComment ? 'Say what must change: a reject needs a comment.' : undefined}
              onClick={() => decide.mutate('reject')}
              className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-red-500/40 dark:bg-zinc-900 dark:text-red-300 dark:hover:bg-red-500/10"
            >
              {decide.isPending && decide.variables === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
            {view.revision ? (
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                on revision {view.revision.number} · <span className="font-mono">{view.revision.sha.slice(0, 12)}</span>
              </span>
            ) : null}
          </div>
        </form>
      ) : (
        <div data-testid="sign-off-blocked">
          {own ? (
            <div role="note" className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700 ring-1 ring-zinc-200 dark:bg-zinc-800/50 dark:text-zinc-200 dark:ring-zinc-700">
              <span className="min-w-0">
                {view.viewer.message}
                {own.comment ? <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">“{own.comment}”</span> : null}
              </span>
              <button
                type="button"
                disabled={busy}
                onClick={() => withdraw.mutate(own.id)}
                className="shrink-0 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
              >
                {withdraw.isPending ? 'Withdrawing…' : `Withdraw my ${own.decision === 'approve' ? 'approval' : 'reject'}`}
              </button>
            </div>
          ) : (
            <p role="note" className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700 ring-1 ring-zinc-200 dark:bg-zinc-800/50 dark:text-zinc-200 dark:ring-zinc-700">
              {view.viewer.message}
            </p>
          )}
        </div>
      )}

      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-200">
          {error}
        </p>
      ) : null}
      {done && !error && !own ? <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">{done}</p> : null}
    </div>
  );
}
