// GitHub reviews of the pull request, next to the sign-off: who reviewed, what they said and on which
// revision — shown as context only. They never count toward Countersign's sign-off nor open the gate.
import type { ChangeDetail, ExternalReviewView } from '@/db/queries/change-detail';
import { formatDateTime } from '@/lib/format';

const STATE: Record<string, { label: string; className: string }> = {
  approved: { label: 'Approved on GitHub', className: 'text-emerald-800 ring-emerald-600/30 dark:text-emerald-300 dark:ring-emerald-400/30' },
  changes_requested: { label: 'Changes requested', className: 'text-amber-800 ring-amber-600/40 dark:text-amber-300 dark:ring-amber-400/30' },
  commented: { label: 'Commented', className: 'text-zinc-700 ring-zinc-400/50 dark:text-zinc-300 dark:ring-zinc-500/50' },
  dismissed: { label: 'Dismissed', className: 'text-zinc-500 line-through ring-zinc-300 dark:text-zinc-400 dark:ring-zinc-600' },
  pending: { label: 'Pending', className: 'text-zinc-500 ring-zinc-300 dark:text-zinc-400 dark:ring-zinc-600' },
};

/** A short excerpt of the review's text: the first lines, whitespace collapsed. */
export const EXCERPT_CHARS = 280;

export function excerpt(body: string, max = EXCERPT_CHARS): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** Which revision the review was on, in words, and whether it is stale. */
export function reviewRevisionText(r: Pick<ExternalReviewView, 'revision' | 'stale' | 'commitId'>, current: number | null): string {
  const commit = r.commitId ? `commit ${r.commitId.slice(0, 7)}` : null;
  if (r.revision !== null) {
    const where = `revision ${r.revision}${commit ? ` (${commit})` : ''}`;
    return r.stale ? `on ${where} — stale: the current revision is ${current ?? '?'}` : `on ${where}, the current one`;
  }
  if (commit) return `on ${commit} — stale: not a revision Countersign has`;
  return 'revision unknown';
}

export function ExternalReviews({ change }: { change: ChangeDetail }) {
  const current = change.revisions.find((r) => r.current)?.number ?? null;
  return (
    <div className="space-y-3">
      <p data-testid="external-reviews-note" className="rounded-md bg-zinc-100 px-3 py-2 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
        Context only: reviews given on GitHub <strong>do not count toward Countersign sign-off</strong> and never open the deploy gate. Only the decisions above do.
      </p>
      {change.externalReviews.length ? (
        <ul className="space-y-3" data-testid="external-reviews">
          {change.externalReviews.map((r) => {
            const state = STATE[r.state] ?? { label: r.state.replaceAll('_', ' '), className: STATE.commented!.className };
            const text = excerpt(r.body);
            return (
              <li key={r.id} className="text-sm" data-external-review={r.externalId} data-state={r.state} data-stale={r.stale}>
                <div className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
                  <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ring-1 ${state.className}`}>{state.label}</span>
                  {r.reviewer.person ? (
                    <>
                      <span className="font-medium">{r.reviewer.person.name}</span>
                      <span className="text-xs text-zinc-500 dark:text-zinc-400">
                        @{r.reviewer.login}
                        {r.reviewer.person.level ? ` · L${r.reviewer.person.level}` : ''}
                      </span>
                    </>
                  ) : (
                    <span className="font-medium" title="No Countersign person has this GitHub login">
                      @{r.reviewer.login}
                    </span>
                  )}
                  {r.stale ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-200">stale</span>
                  ) : null}
                </div>
                <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                  {reviewRevisionText(r, current)} · <time dateTime={r.submittedAt}>{formatDateTime(r.submittedAt)}</time>
                </p>
                {text ? (
                  <p className="mt-0.5 text-[13px] text-zinc-700 dark:text-zinc-300" title={r.body.length > EXCERPT_CHARS ? r.body.slice(0, 2000) : undefined}>
                    “{text}”
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No review on GitHub yet.</p>
      )}
    </div>
  );
}
