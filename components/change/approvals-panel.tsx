// Sign-off at a glance: the gate's answer in words, what is still required, every decision with the
// revision it was given on (superseded and withdrawn ones struck through), and who should review next.
// The approve / reject / withdraw controls (issue 4) are rendered into the `actions` slot.
import type { ChangeDetail } from '@/db/queries/change-detail';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { formatDateTime } from '@/lib/format';

/** Who may give the approvals that count, in words. */
function whoCounts(change: ChangeDetail): string {
  const { requirement } = change;
  return `Counts: approvals on the current revision by a senior, director or VP at L${requirement.minLevel} or above (Tier-${requirement.effectiveTier} rules), neither the author nor a co-author.`;
}

function stillNeeded(change: ChangeDetail): string {
  const { requiredApprovals: required, validApprovals: valid, requirement } = change;
  if (required === 0) return 'No approval is required by policy.';
  const head = `${valid} of ${required} valid approval${required === 1 ? '' : 's'}`;
  if (valid >= required) return `${head}: sign-off is complete.`;
  const missing = required - valid;
  const who = `Tier-${requirement.effectiveTier} approver${missing === 1 ? '' : 's'} (L${requirement.minLevel}+)`;
  return `${head}: needs ${missing === 1 ? 'one more' : `${missing} more`} ${who}.`;
}

export function ApprovalsPanel({ change, actions }: { change: ChangeDetail; actions?: React.ReactNode }) {
  const { gate } = change;
  const current = change.revisions.find((r) => r.current);
  return (
    <div className="space-y-4">
      <div
        data-testid="gate-status"
        className={`rounded-md px-3 py-2 text-sm ${gate.allowed ? 'bg-emerald-50 text-emerald-900 ring-1 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-400/20' : 'bg-red-50 text-red-900 ring-1 ring-red-600/20 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25'}`}
      >
        <p className="font-semibold">{gate.allowed ? 'Deploy gate: allowed' : 'Deploy gate: blocked'}</p>
        <ul className="mt-0.5 list-disc space-y-0.5 pl-4 text-[13px]">
          {gate.reasonText.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      </div>
      {change.breakGlassActive ? (
        <p className="rounded-md bg-red-600 px-3 py-2 text-sm font-medium text-white">Break-glass override active: the gate allows deploys without sign-off until it expires.</p>
      ) : null}

      <div>
        {/* With the sign-off controls present, their live headline says "n of m"; this says why and who. */}
        <p className={actions ? 'sr-only' : 'text-sm font-medium'} data-testid="approvals-required">{stillNeeded(change)}</p>
        {change.requiredApprovals > 0 ? <p className="text-xs text-zinc-600 dark:text-zinc-300">{whoCounts(change)}</p> : null}
        {change.requirement.because.length ? (
          <ul className="mt-1 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            {change.requirement.because.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        ) : null}
      </div>

      {/* Approve / reject / withdraw / break-glass controls (issue 4) render here. */}
      {actions ? <div data-slot="sign-off-actions">{actions}</div> : null}

      <div>
        <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Decisions</h3>
        {change.approvals.length ? (
          <ul className="space-y-2">
            {change.approvals.map((a) => {
              const struck = !a.standing;
              return (
                <li key={a.id} className="text-sm" data-decision={a.decision} data-standing={a.standing}>
                  <div className="flex flex-wrap items-center gap-x-1.5">
                    <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ${a.decision === 'approve' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-500/20 dark:text-emerald-200' : 'bg-red-100 text-red-800 dark:bg-red-500/20 dark:text-red-200'} ${struck ? 'opacity-60' : ''}`}>
                      {a.decision === 'approve' ? 'Approved' : 'Rejected'}
                    </span>
                    <span className={`font-medium ${struck ? 'text-zinc-500 line-through' : ''}`}>{a.person.name}</span>
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">
                      {a.person.level ? `L${a.person.level} ` : ''}
                      {ROLE_LABELS[a.person.role]}
                    </span>
                  </div>
                  <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                    on revision {a.revision}
                    {current && a.revision === current.number ? ' (current)' : ''} · {formatDateTime(a.createdAt)}
                    {a.via !== 'web' ? ` · via ${a.via}` : ''}
                  </p>
                  {a.comment ? <p className={`mt-0.5 text-[13px] text-zinc-700 dark:text-zinc-300 ${struck ? 'line-through opacity-70' : ''}`}>“{a.comment}”</p> : null}
                  {a.invalidReasonText ? <p className="mt-0.5 text-xs font-medium text-amber-800 dark:text-amber-300">Does not count: {a.invalidReasonText}</p> : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No sign-off yet.</p>
        )}
      </div>

      <div>
        <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Suggested reviewers</h3>
        {change.suggestedReviewers.length ? (
          <ul className="space-y-1 text-sm" data-testid="suggested-reviewers">
            {change.suggestedReviewers.slice(0, 6).map((r) => (
              <li key={r.handle} className="flex items-baseline justify-between gap-2">
                <span className="min-w-0 truncate">
                  <span className="font-medium">{r.name}</span> <span className="text-xs text-zinc-500 dark:text-zinc-400">L{r.level} · {r.team}</span>
                </span>
                <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" title={r.services.join(', ')}>
                  {r.kind === 'owner' ? `owns ${r.services[0]}` : `Tier-1 ${r.services[0]}`}
                  {r.services.length > 1 ? ` +${r.services.length - 1}` : ''}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Nobody left to suggest: every eligible approver on the owning teams has decided, or the change touches no owned service.</p>
        )}
        {change.suggestedReviewers.length > 6 ? (
          <details className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            <summary className="cursor-pointer select-none">{change.suggestedReviewers.length - 6} more</summary>
            <p className="mt-1">{change.suggestedReviewers.slice(6).map((r) => r.name).join(', ')}</p>
          </details>
        ) : null}
      </div>
    </div>
  );
}
