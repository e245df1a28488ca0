// The compliance page's tables: Tier-1 deployments without two valid approvals, bypasses,
// break-glass overrides and their follow-up, and review-depth signals with their evidence.
import Link from 'next/link';
import { RiskBadge, TierBadge } from '@/components/ui/badges';
import type { ComplianceData } from '@/db/queries/compliance';
import { latencyText, shortDate, shortDateTime } from '@/lib/reports/format';
import { GATE_REASON_TEXT, type GateReason } from '@/lib/policy/approvals';

const th = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const td = 'px-3 py-2 align-top';

function ChangeCell({ c }: { c: { id: number; externalId: string; title: string; tier: 1 | 2 | 3 } }) {
  return (
    <Link href={`/changes/${c.id}`} className="group block max-w-[420px]">
      <span className="font-mono text-xs text-zinc-500 group-hover:text-accent-600">{c.externalId}</span> <TierBadge tier={c.tier} />
      <span className="block truncate font-medium group-hover:underline">{c.title}</span>
    </Link>
  );
}

export function Panel({ title, intro, children, testId }: { title: string; intro?: React.ReactNode; children: React.ReactNode; testId?: string }) {
  return (
    <section className="mt-6" data-testid={testId}>
      <h2 className="text-base font-semibold tracking-tight">{title}</h2>
      {intro ? <p className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">{intro}</p> : <div className="mb-2" />}
      {children}
    </section>
  );
}

function Table({ head, children, empty }: { head: string[]; children: React.ReactNode[]; empty: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      {children.length ? (
        <table className="w-full text-sm">
          <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/60">
            <tr>
              {head.map((h) => (
                <th key={h} className={th}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
        </table>
      ) : (
        <p className="p-6 text-center text-sm text-zinc-500">{empty}</p>
      )}
    </div>
  );
}

export function WithoutTwoTable({ rows }: { rows: ComplianceData['twoPerson']['without'] }) {
  return (
    <Table head={['Deployed', 'Change', 'Valid approvals at deploy', 'Deployed by', 'What let it through']} empty="Every Tier-1 production deployment in the period had two valid approvals.">
      {rows.map((r) => (
        <tr key={r.deploymentId}>
          <td className={`${td} whitespace-nowrap tabular`}>{shortDateTime(r.at)}</td>
          <td className={td}>
            <ChangeCell c={r.change} />
          </td>
          <td className={`${td} tabular`} title="Two-person rule: a Tier-1 production deployment needs two valid approvals">
            {r.approvals} (two-person rule: 2)
          </td>
          <td className={td}>{r.deployedBy ?? '—'}</td>
          <td className={td} data-testid="gate-outcome">
            {r.bypass ? <span className="rounded bg-red-600 px-1.5 py-0.5 text-[11px] font-semibold text-white">gate bypassed</span> : null}
            {r.breakGlass ? <span className="ml-1 rounded bg-red-100 px-1.5 py-0.5 text-[11px] font-semibold text-red-800 dark:bg-red-500/20 dark:text-red-300">under break-glass</span> : null}
            <GateOutcome gate={r.gate} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** What the gate actually said for this deployment: the decision it reported, or that none allowed it. */
function GateOutcome({ gate }: { gate: ComplianceData['twoPerson']['without'][number]['gate'] }) {
  if (!gate) return <div className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-300">No gate decision allowed this deploy: it was not asked, or its answer was ignored.</div>;
  const reasons = gate.reasons.map((r) => GATE_REASON_TEXT[r as GateReason] ?? r).join(' ');
  return (
    <div className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-300">
      Gate decision #{gate.id} at {shortDateTime(gate.at)} ({gate.environment}) {gate.allowed ? 'allowed' : 'refused'} it with {gate.valid} of {gate.required} required approvals
      counted then. <span className="text-zinc-500 dark:text-zinc-400">{reasons}</span>
    </div>
  );
}

export function BypassTable({ rows }: { rows: ComplianceData['bypasses'] }) {
  return (
    <Table head={['When', 'Change', 'Deployed by', 'How', 'Status']} empty="No deployment bypassed the gate in this period.">
      {rows.map((b) => (
        <tr key={b.deploymentId} className="bg-red-50/40 dark:bg-red-950/20" data-testid="bypass-row">
          <td className={`${td} whitespace-nowrap tabular`}>{shortDateTime(b.at)}</td>
          <td className={td}>
            <ChangeCell c={b.change} />
          </td>
          <td className={td}>{b.deployedBy ?? <span className="text-zinc-500">unknown pipeline</span>}</td>
          <td className={td}>
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{b.source}</span>
          </td>
          <td className={td}>
            {b.environment} · {b.status}
          </td>
        </tr>
      ))}
    </Table>
  );
}

const GLASS_STATE = {
  done: { text: 'Review done', cls: 'bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-300' },
  pending: { text: 'Review pending', cls: 'bg-amber-50 text-amber-800 dark:bg-amber-500/10 dark:text-amber-300' },
  overdue: { text: 'Review overdue', cls: 'bg-red-600 text-white' },
  active: { text: 'Override active', cls: 'bg-red-600 text-white' },
} as const;

export function BreakGlassTable({ rows }: { rows: ComplianceData['breakGlass'] }) {
  return (
    <Table head={['Opened', 'Change', 'By', 'Justification', 'Follow-up review']} empty="No break-glass override was opened in this period.">
      {rows.map((b) => (
        <tr key={b.id} className="bg-red-50/30 dark:bg-red-950/10">
          <td className={`${td} whitespace-nowrap tabular`}>{shortDateTime(b.openedAt)}</td>
          <td className={td}>
            <ChangeCell c={b.change} />
          </td>
          <td className={td}>{b.openedBy}</td>
          <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
            {b.justification}
            {b.incidentRef ? <span className="ml-1 font-mono text-xs">({b.incidentRef})</span> : null}
          </td>
          <td className={`${td} whitespace-nowrap`}>
            <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ${GLASS_STATE[b.state].cls}`}>{GLASS_STATE[b.state].text}</span>
            <div className="mt-0.5 text-xs text-zinc-500">{b.followUpCompletedAt ? `on ${shortDate(b.followUpCompletedAt)}` : `due ${shortDate(b.followUpDueAt)}`}</div>
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function Signals({ signals, lpm, share, minReviews }: { signals: ComplianceData['signals']; lpm: number; share: number; minReviews: number }) {
  return (
    <div className="grid gap-4 lg:grid-cols-3" data-testid="signals">
      <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h3 className="text-sm font-semibold">Approved faster than the diff can be read</h3>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          Time from the revision to the approval is shorter than its lines at {lpm} lines a minute. {signals.fastApprovals.total} in the period.
        </p>
        <ul className="mt-3 space-y-2 text-sm">
          {signals.fastApprovals.items.map((f) => (
            <li key={f.approvalId}>
              <span className="font-medium">{f.reviewer}</span> approved{' '}
              <Link href={`/changes/${f.change.id}`} className="font-mono text-xs text-accent-700 hover:underline dark:text-accent-500">
                {f.change.externalId}
              </Link>{' '}
              <RiskBadge score={f.change.riskScore} level={f.change.riskLevel} size="sm" />
              <div className="text-xs text-zinc-500 tabular">
                {f.lines.toLocaleString('en-US')} lines in {f.minutes} min (reading takes ≈ {f.neededMinutes} min)
              </div>
            </li>
          ))}
          {signals.fastApprovals.total === 0 ? <li className="text-xs text-zinc-500">None in this period.</li> : null}
        </ul>
      </div>
      <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h3 className="text-sm font-semibold">Reviewers who approve nearly everything</h3>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          At least {Math.round(share * 100)}% approvals over {minReviews}+ decisions. High approval rates can be healthy: look at what they approved.
        </p>
        <ul className="mt-3 space-y-2 text-sm">
          {signals.rubberStamps.map((r) => (
            <li key={r.reviewer} className="flex items-baseline justify-between gap-3">
              <Link href={`/audit?actor=${encodeURIComponent(r.reviewer)}&kind=approval`} className="font-medium hover:underline">
                {r.name} <span className="text-xs font-normal text-zinc-500">{r.reviewer}</span>
              </Link>
              <span className="text-xs text-zinc-600 tabular dark:text-zinc-400">
                {r.approvals}/{r.decisions} approved · median {latencyText(r.medianMinutes)}
                {r.fast ? ` · ${r.fast} fast` : ''}
              </span>
            </li>
          ))}
          {signals.rubberStamps.length === 0 ? <li className="text-xs text-zinc-500">None in this period.</li> : null}
        </ul>
      </div>
      <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h3 className="text-sm font-semibold">People who mostly approve each other</h3>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">Pairs where most of each one’s approvals go to the other’s changes.</p>
        <ul className="mt-3 space-y-2 text-sm">
          {signals.pairs.map((p) => (
            <li key={`${p.a}-${p.b}`}>
              <span className="font-medium">{p.a}</span> ⇄ <span className="font-medium">{p.b}</span>
              <div className="text-xs text-zinc-500 tabular">
                {p.a}: {p.aToB} of {p.aApprovals} approvals for {p.b} · {p.b}: {p.bToA} of {p.bApprovals} for {p.a}
              </div>
            </li>
          ))}
          {signals.pairs.length === 0 ? <li className="text-xs text-zinc-500">None in this period.</li> : null}
        </ul>
      </div>
    </div>
  );
}
