// The detail of the week: incidents with their cause, bypasses, Tier-1 changes without two
// approvals, the riskiest changes, services, watch-outs and overdue break-glass reviews.
import Link from 'next/link';
import { AiBadge, RiskBadge, TierBadge } from '@/components/ui/badges';
import { minutesText, ordersText, shortDate, shortDateTime } from '@/lib/reports/format';
import type { ReportIncident, WeeklyReport } from '@/lib/reports/types';

export function Section({ title, children, count, id }: { title: string; children: React.ReactNode; count?: number; id?: string }) {
  return (
    <section id={id} className="mt-8 scroll-mt-16 break-inside-avoid-page">
      <h2 className="mb-3 flex items-baseline gap-2 text-base font-semibold tracking-tight">
        {title}
        {count !== undefined ? <span className="text-sm font-normal text-zinc-500 tabular">{count}</span> : null}
      </h2>
      {children}
    </section>
  );
}

const SEV = {
  1: 'bg-red-600 text-white',
  2: 'bg-orange-500 text-white',
  3: 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200',
  4: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
} as const;

export function SeverityBadge({ severity }: { severity: 1 | 2 | 3 | 4 }) {
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-[11px] font-semibold ${SEV[severity]}`}>SEV-{severity}</span>;
}

function ChangeLink({ c }: { c: { id: number; externalId: string; title: string } }) {
  return (
    <Link href={`/changes/${c.id}`} className="group">
      <span className="font-mono text-xs text-zinc-500 group-hover:text-accent-600">{c.externalId}</span>{' '}
      <span className="font-medium group-hover:underline">{c.title}</span>
    </Link>
  );
}

export function IncidentCard({ i }: { i: ReportIncident }) {
  return (
    <article className="rounded-lg border border-zinc-200 bg-white p-4 break-inside-avoid dark:border-zinc-800 dark:bg-zinc-900" data-testid="report-incident">
      <header className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={i.severity} />
        <Link href={`/incidents/${i.id}`} className="font-mono text-xs text-zinc-500 hover:text-accent-600">
          {i.externalId}
        </Link>
        <h3 className="font-semibold">{i.title}</h3>
      </header>
      <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-zinc-500">Impact</dt>
        <dd>
          <span className="font-medium tabular">{i.minutes === null ? 'still open' : minutesText(i.minutes)}</span>
          {i.lostOrders !== null ? <span className="tabular">, {ordersText(i.lostOrders)} orders lost</span> : null}
          {i.ordersDropPct !== null ? <span className="tabular"> (orders down {i.ordersDropPct}%)</span> : null}
          <span className="text-zinc-500"> · from {shortDateTime(i.startedAt)}</span>
          {i.impact ? <p className="mt-1 text-zinc-600 dark:text-zinc-400">{i.impact}</p> : null}
        </dd>
        <dt className="text-zinc-500">Services</dt>
        <dd className="flex flex-wrap gap-1">
          {i.services.map((s) => (
            <span key={s} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
              {s}
            </span>
          ))}
        </dd>
        <dt className="text-zinc-500">Caused by</dt>
        <dd>
          {i.cause ? (
            <div className="flex flex-wrap items-center gap-2">
              <ChangeLink c={i.cause} />
              <RiskBadge score={i.cause.riskScore} level={i.cause.riskLevel} size="sm" />
              <AiBadge level={i.cause.aiLevel} tool={i.cause.aiTool} />
              <span className="text-xs text-zinc-500">
                written by {i.cause.author}
                {i.cause.deployedAt ? `, deployed ${shortDateTime(i.cause.deployedAt)}${i.cause.deployedBy ? ` by ${i.cause.deployedBy}` : ''}` : ''}
              </span>
              {i.cause.bypass ? <span className="rounded bg-red-600 px-1.5 py-0.5 text-[11px] font-semibold text-white">gate bypassed</span> : null}
            </div>
          ) : (
            <span className="text-zinc-500">No change is linked as its cause.</span>
          )}
        </dd>
      </dl>
    </article>
  );
}

const th = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const td = 'px-3 py-2 align-top';

function Table({ head, children, testId }: { head: string[]; children: React.ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid={testId}>
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
    </div>
  );
}

export function ReportSections({ report }: { report: WeeklyReport }) {
  const r = report;
  return (
    <>
      {r.bypasses.length ? (
        <Section title="Gate bypasses" count={r.bypasses.length} id="bypasses">
          <Table head={['When', 'Change', 'Deployed by', 'How']} testId="report-bypasses">
            {r.bypasses.map((b) => (
              <tr key={b.deploymentId} className="bg-red-50/40 dark:bg-red-950/20">
                <td className={`${td} whitespace-nowrap tabular`}>{shortDateTime(b.at)}</td>
                <td className={td}>
                  <ChangeLink c={b.change} /> <TierBadge tier={b.change.tier} />
                </td>
                <td className={td}>{b.deployedBy ?? '—'}</td>
                <td className={td}>{b.source}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {r.tier1WithoutTwoApprovals.length ? (
        <Section title="Tier-1 changes shipped without two valid approvals" count={r.current.tier1.changes - r.current.tier1.compliant}>
          <Table head={['Change', 'Approvals at deploy', 'Risk', 'Deployed']}>
            {r.tier1WithoutTwoApprovals.map((c) => (
              <tr key={c.id}>
                <td className={td}>
                  <ChangeLink c={c} />
                </td>
                <td className={`${td} tabular`}>
                  {c.approvalsAtDeploy} of 2{c.bypass ? <span className="ml-2 text-xs font-medium text-red-700 dark:text-red-400">gate bypassed</span> : null}
                </td>
                <td className={td}>
                  <RiskBadge score={c.riskScore} level={c.riskLevel} size="sm" />
                </td>
                <td className={`${td} whitespace-nowrap tabular`}>{shortDateTime(c.deployedAt)}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {r.riskiestChanges.length ? (
        <Section title="Riskiest changes shipped">
          <Table head={['Risk', 'Change', 'AI', 'Services', 'Approvals']} testId="report-riskiest">
            {r.riskiestChanges.map((c) => (
              <tr key={c.id}>
                <td className={td}>
                  <RiskBadge score={c.riskScore} level={c.riskLevel} size="sm" />
                </td>
                <td className={td}>
                  <ChangeLink c={c} />
                  {c.destructive ? <span className="ml-2 text-xs font-medium text-red-700 dark:text-red-400">destructive</span> : null}
                </td>
                <td className={td}>
                  <AiBadge level={c.aiLevel} tool={c.aiTool} />
                </td>
                <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{c.services.join(', ')}</td>
                <td className={`${td} whitespace-nowrap tabular`}>{c.bypass ? <span className="text-red-700 dark:text-red-400">gate bypassed</span> : `${c.approvalsAtDeploy} of ${c.requiredApprovals}`}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {r.services.length ? (
        <Section title="Services with the most risk this week">
          <Table head={['Service', 'Team', 'Changes', 'High or critical', 'Max risk', 'Incidents']}>
            {r.services.map((s) => (
              <tr key={s.slug}>
                <td className={td}>
                  <TierBadge tier={s.tier} label={s.slug} />
                </td>
                <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{s.team ?? '—'}</td>
                <td className={`${td} tabular`}>{s.changes}</td>
                <td className={`${td} tabular`}>{s.highRisk}</td>
                <td className={`${td} tabular`}>{s.maxRisk}</td>
                <td className={`${td} tabular ${s.incidents ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>{s.incidents}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {r.overdueBreakGlass.length ? (
        <Section title="Overdue break-glass follow-up reviews" count={r.overdueBreakGlass.length}>
          <Table head={['Change', 'Opened by', 'Override ended', 'Review due', 'Justification']}>
            {r.overdueBreakGlass.map((b) => (
              <tr key={b.id}>
                <td className={td}>
                  <ChangeLink c={b.change} />
                </td>
                <td className={td}>{b.openedBy}</td>
                <td className={`${td} tabular`}>{shortDateTime(b.endedAt)}</td>
                <td className={`${td} tabular text-red-700 dark:text-red-400`}>{shortDate(b.dueAt)}</td>
                <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{b.justification}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {r.watchouts.length ? (
        <Section title="Watch-outs added" count={r.watchouts.length}>
          <ul className="space-y-2">
            {r.watchouts.map((w) => (
              <li key={w.id} className="rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
                <div className="text-xs text-zinc-500">
                  <span className="font-medium text-zinc-700 dark:text-zinc-300">{w.author}</span> on <span className="font-mono">{w.service ?? w.pattern}</span> · {shortDate(w.createdAt)}
                </div>
                <p className="mt-1">{w.text}</p>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
