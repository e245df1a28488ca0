import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChartFrame } from '@/components/charts/chart-frame';
import { ChangesPerDayChart, IncidentsTimeline, LatencyChart, RiskDistributionChart } from '@/components/charts/report-charts';
import { AttestForm } from '@/components/reports/attest-form';
import { DiscussList } from '@/components/reports/discuss-list';
import { HeadlineGrid } from '@/components/reports/headline-grid';
import { PrintButton } from '@/components/reports/print-button';
import { IncidentCard, ReportSections, Section } from '@/components/reports/report-sections';
import { getDb } from '@/db';
import { getWeeklyReport } from '@/db/queries/reports';
import { AI_LEVELS } from '@/db/schema/enums';
import { requireSession } from '@/lib/auth/current';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { formatPct } from '@/lib/reports/deltas';
import { latencyText, shortDateTime } from '@/lib/reports/format';
import { isIsoWeek } from '@/lib/reports/iso-week';
import type { Role } from '@/db/schema/enums';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ isoWeek: string }> }): Promise<Metadata> {
  return { title: `TWiST ${(await params).isoWeek}` };
}

const button =
  'inline-flex items-center rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800';

export default async function WeeklyReportPage({ params }: { params: Promise<{ isoWeek: string }> }) {
  const { isoWeek } = await params;
  const { person } = await requireSession(`/reports/weekly/${isoWeek}`);
  if (!isIsoWeek(isoWeek)) notFound();
  const r = await getWeeklyReport(await getDb(), { isoWeek });
  const role = person.role as Role;
  const mayAttest = (role === 'director' || role === 'vp') && r.complete && !r.attestations.some((a) => a.handle === person.handle);
  const ai = r.current.byAi;
  const aiTotal = AI_LEVELS.reduce((n, l) => n + ai[l], 0);

  return (
    <article className="mx-auto max-w-6xl print:max-w-none print:[print-color-adjust:exact] print:[-webkit-print-color-adjust:exact]" data-testid="weekly-report">
      <header className="flex flex-wrap items-end justify-between gap-4 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wider text-accent-600 dark:text-accent-500">This Week in Stores Tech</p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">
            {r.range} <span className="font-normal text-zinc-400">· {r.isoWeek}</span>
          </h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            {r.complete ? 'Complete week' : 'Week in progress: figures will still move'} · generated {shortDateTime(r.generatedAt)}
          </p>
        </div>
        <nav aria-label="Weeks" className="no-print flex flex-wrap items-center gap-2">
          <Link href={`/reports/weekly/${r.previousWeek}`} className={button} rel="prev" aria-label={`Previous week, ${r.previousWeek}`}>
            ← {r.previousWeek}
          </Link>
          {r.nextWeek ? (
            <Link href={`/reports/weekly/${r.nextWeek}`} className={button} rel="next" aria-label={`Next week, ${r.nextWeek}`}>
              {r.nextWeek} →
            </Link>
          ) : null}
          <form action="/reports/weekly" className="flex items-center gap-1">
            <label className="sr-only" htmlFor="week-picker">
              Go to week
            </label>
            <input id="week-picker" name="week" type="week" defaultValue={r.isoWeek} className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
            <button type="submit" className={button}>
              Go
            </button>
          </form>
          <a href={`/api/v1/reports/weekly/${r.isoWeek}?format=md`} download={`twist-${r.isoWeek}.md`} className={button}>
            Markdown
          </a>
          <a href={`/api/v1/reports/weekly/${r.isoWeek}?format=pdf`} className={button}>
            PDF
          </a>
          <PrintButton className={button} />
        </nav>
      </header>

      <section className="mt-6 rounded-lg border border-zinc-200 bg-white p-5 break-inside-avoid dark:border-zinc-800 dark:bg-zinc-900" aria-labelledby="discuss-title">
        <h2 id="discuss-title" className="text-base font-semibold tracking-tight">
          What leaders must discuss
        </h2>
        <DiscussList items={r.discuss} />
      </section>

      <div className="mt-6">
        <HeadlineGrid report={r} />
      </div>

      {r.incidents.length ? (
        <Section title="Incidents" count={r.incidents.length} id="incidents">
          <div className="space-y-3">
            {r.incidents.map((i) => (
              <IncidentCard key={i.id} i={i} />
            ))}
          </div>
        </Section>
      ) : null}

      {r.empty ? null : (
        <Section title="Charts" id="charts">
          <div className="grid gap-4 md:grid-cols-2 print:grid-cols-1">
            <ChartFrame
              title="Changes shipped per day, by AI involvement"
              takeaway={aiTotal ? `${formatPct(r.headline.aiShare.any.current)} of ${aiTotal} changes had AI involved; ${ai.agent} by an agent.` : 'Nothing shipped.'}
              table={{ head: ['Day', 'Human', 'AI-assisted', 'AI-generated', 'AI agent'], rows: r.charts.perDay.map((d) => [d.date, d.none, d.assisted, d.generated, d.agent]) }}
            >
              <ChangesPerDayChart data={r.charts.perDay} />
            </ChartFrame>
            <ChartFrame
              title="Risk of the changes shipped"
              takeaway={`${r.charts.risk.filter((b) => b.from >= 60).reduce((n, b) => n + b.count, 0)} high or critical (risk ≥ 60).`}
              table={{ head: ['Risk', 'Changes'], rows: r.charts.risk.map((b) => [b.bucket, b.count]) }}
            >
              <RiskDistributionChart data={r.charts.risk} />
            </ChartFrame>
            <ChartFrame
              title="Time from submission to second approval"
              takeaway={`Median ${latencyText(r.headline.approvalLatencyMedian.current)}, p90 ${latencyText(r.headline.approvalLatencyP90.current)} (last week ${latencyText(r.headline.approvalLatencyMedian.previous)} / ${latencyText(r.headline.approvalLatencyP90.previous)}).`}
              table={{ head: ['Latency', 'Changes'], rows: r.charts.latency.map((b) => [b.bucket, b.count]) }}
            >
              <LatencyChart data={r.charts.latency} />
            </ChartFrame>
            <ChartFrame
              title="Incidents timeline"
              takeaway={r.incidents.length ? `${r.incidents.length} incident${r.incidents.length === 1 ? '' : 's'}, coloured by severity.` : 'No incident started this week.'}
              table={{ head: ['Incident', 'Severity', 'Started', 'Minutes'], rows: r.incidents.map((i) => [i.externalId, `SEV-${i.severity}`, i.startedAt, i.minutes ?? 'open']) }}
            >
              {r.incidents.length ? <IncidentsTimeline incidents={r.incidents} start={r.start} end={r.end} /> : <p className="py-10 text-center text-sm">No incident started this week.</p>}
            </ChartFrame>
          </div>
        </Section>
      )}

      <ReportSections report={r} />

      <Section title="Attestation" id="attestation">
        <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" data-testid="attestation">
          {r.attestations.length ? (
            <ul className="space-y-1 text-sm">
              {r.attestations.map((a) => (
                <li key={a.handle}>
                  Reviewed by <span className="font-medium">{a.name}</span> ({ROLE_LABELS[a.role as Role] ?? a.role}) on {shortDateTime(a.attestedAt)}
                  {a.note ? <span className="text-zinc-600 dark:text-zinc-400"> — {a.note}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              {r.complete ? 'Not yet attested. A director or VP attests each week’s report once reviewed.' : 'The week is not over: it can be attested from Monday.'}
            </p>
          )}
          {mayAttest ? <AttestForm isoWeek={r.isoWeek} /> : null}
        </div>
      </Section>
    </article>
  );
}
