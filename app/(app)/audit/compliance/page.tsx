import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { z } from 'zod';
import { AuditNav } from '@/components/audit/audit-nav';
import { ChainBadge, ChainBadgeFallback } from '@/components/audit/chain-badge';
import { BreakGlassTable, BypassTable, Panel, Signals, WithoutTwoTable } from '@/components/audit/compliance-sections';
import { ChartFrame } from '@/components/charts/chart-frame';
import { AiRatesChart, AiShareBar, TwoPersonChart } from '@/components/charts/compliance-charts';
import { LatencyChart } from '@/components/charts/report-charts';
import { StatCard } from '@/components/reports/stat-card';
import { getDb } from '@/db';
import { getComplianceData } from '@/db/queries/compliance';
import { listAuditFilterOptions } from '@/db/queries/audit';
import { requireRole } from '@/lib/auth/current';
import { getPolicy } from '@/lib/policy';
import { formatPct } from '@/lib/reports/deltas';
import { latencyText } from '@/lib/reports/format';

export const metadata: Metadata = { title: 'Compliance' };
export const dynamic = 'force-dynamic';

const DAY = 86_400_000;
const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
const Query = z.object({
  from: dayString.optional().catch(undefined),
  to: dayString.optional().catch(undefined),
  team: z.string().max(100).optional().catch(undefined),
  service: z.string().max(100).optional().catch(undefined),
});

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

export default async function CompliancePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireRole(['director', 'vp', 'admin'], '/audit/compliance');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const q = Query.parse(raw);
  let from = q.from ?? daysAgo(89);
  let to = q.to ?? today();
  if (from > to) [from, to] = [to, from];
  const db = await getDb();
  const policy = await getPolicy(db);
  const [data, options] = await Promise.all([
    getComplianceData(db, { from: new Date(`${from}T00:00:00Z`), to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY), team: q.team, service: q.service }, policy),
    listAuditFilterOptions(db),
  ]);
  const tp = data.twoPerson;
  const overdueGlass = data.breakGlass.filter((b) => b.state === 'overdue').length;
  const aiChanges = data.ai.reduce((n, a) => n + a.changes, 0);
  const aiInvolved = data.ai.filter((a) => a.level !== 'none').reduce((n, a) => n + a.changes, 0);
  const deployments = data.ai.reduce((n, a) => n + a.deployments, 0);
  const failed = data.ai.reduce((n, a) => n + a.failed, 0);
  const scope = q.service ? `service ${q.service}` : q.team ? `team ${q.team}` : 'all teams';
  const range = (days: number) => `/audit/compliance?${new URLSearchParams({ from: daysAgo(days - 1), to: today(), ...(q.team ? { team: q.team } : {}), ...(q.service ? { service: q.service } : {}) })}`;
  const control = 'mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950';

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-lg font-semibold tracking-tight">Compliance</h1>
            <AuditNav current="compliance" />
          </div>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {from} to {to}, {scope}: is the two-person rule holding, who went around the gate, and where reviews look thin.
          </p>
        </div>
        <Suspense fallback={<ChainBadgeFallback />}>
          <ChainBadge />
        </Suspense>
      </div>

      <form method="get" action="/audit/compliance" className="no-print flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900" aria-label="Period and scope">
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          From
          <input type="date" name="from" defaultValue={from} className={control} />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          To
          <input type="date" name="to" defaultValue={to} className={control} />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Team
          <select name="team" defaultValue={q.team ?? ''} className={control}>
            <option value="">All teams</option>
            {options.teams.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Service
          <select name="service" defaultValue={q.service ?? ''} className={control}>
            <option value="">All services</option>
            {options.services.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.slug} (T{s.tier})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700">
          Apply
        </button>
        <div className="ml-auto flex gap-1 text-sm">
          {[7, 28, 90, 365].map((d) => (
            <Link key={d} href={range(d)} className="rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
              {d === 365 ? '1 year' : `${d} days`}
            </Link>
          ))}
        </div>
      </form>

      <div className="mt-4 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <StatCard
          testId="stat-two-person"
          label="Tier-1 deploys with two approvals"
          value={tp.deployments ? formatPct(tp.compliant / tp.deployments, 1) : '—'}
          sub={`${tp.compliant} of ${tp.deployments} · ${tp.deployments - tp.compliant} without`}
          alarm={tp.deployments > tp.compliant}
        />
        <StatCard testId="stat-bypasses" label="Gate bypasses" value={data.bypasses.length} sub="production deploys without an allowing decision" alarm={data.bypasses.length > 0} />
        <StatCard testId="stat-break-glass" label="Break-glass overrides" value={data.breakGlass.length} sub={overdueGlass ? `${overdueGlass} follow-up review overdue` : 'no follow-up overdue'} alarm={overdueGlass > 0} />
        <StatCard label="Approval latency" value={latencyText(data.latency.medianMinutes)} sub={`median; p90 ${latencyText(data.latency.p90Minutes)} · ${data.latency.count} changes`} />
        <StatCard label="AI involved" value={aiChanges ? formatPct(aiInvolved / aiChanges) : '—'} sub={`of ${aiChanges} changes shipped`} />
        <StatCard label="Change failure rate" value={deployments ? formatPct(failed / deployments, 1) : '—'} sub={`${failed} of ${deployments} deployments led to an incident`} />
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <ChartFrame
          title={`Tier-1 two-person sign-off by ${q.team || q.service ? 'service' : 'team'}`}
          takeaway="Deployments of Tier-1 changes, counted for each Tier-1 service they touch."
          table={{ head: ['Team or service', 'Deployments', 'With two approvals'], rows: tp.breakdown.map((b) => [b.key, b.deployments, b.compliant]) }}
        >
          {tp.breakdown.length ? <TwoPersonChart data={tp.breakdown} /> : <p className="py-10 text-center text-sm">No Tier-1 deployment in this period.</p>}
        </ChartFrame>
        <ChartFrame
          title="AI involvement, incidents and change failure rate"
          takeaway="Share of changes shipped by AI level; then, per level, incidents linked per change and the share of deployments followed by one."
          table={{
            head: ['AI level', 'Changes', 'Share', 'Incidents per change', 'Change failure rate'],
            rows: data.ai.map((a) => [a.level, a.changes, formatPct(a.share), formatPct(a.incidentRate, 1), formatPct(a.failureRate, 1)]),
          }}
        >
          <AiShareBar data={data.ai} />
          <div className="mt-3">
            <AiRatesChart data={data.ai} />
          </div>
        </ChartFrame>
      </div>

      <Panel title="Tier-1 production deployments without two valid approvals" intro="Valid at the moment of deployment: approvals on the deployed revision by eligible humans, not the author, not withdrawn." testId="without-two">
        <WithoutTwoTable rows={tp.without} />
      </Panel>

      <Panel title="Gate bypasses" intro="Production deployments with no allowing gate decision for the revision: who deployed it, and how it was reported." testId="bypasses">
        <BypassTable rows={data.bypasses} />
      </Panel>

      <Panel title="Break-glass overrides" intro="Emergency overrides opened by a director or VP, and whether two seniors have completed the follow-up review." testId="break-glass">
        <BreakGlassTable rows={data.breakGlass} />
      </Panel>

      <Panel title="Approval latency" intro={`From submission to the second person’s approval: median ${latencyText(data.latency.medianMinutes)}, p90 ${latencyText(data.latency.p90Minutes)}.`}>
        <ChartFrame title="Time to a second approval" table={{ head: ['Latency', 'Changes'], rows: data.latency.buckets.map((b) => [b.bucket, b.count]) }}>
          <LatencyChart data={data.latency.buckets} height={200} />
        </ChartFrame>
      </Panel>

      <Panel title="Review-depth signals" intro="Signals to look at, with the evidence — not accusations. Each has innocent explanations (a generated file, a pair who own one service together).">
        <Signals signals={data.signals} lpm={policy.review.readingLinesPerMinute} share={policy.review.rubberStampShare} minReviews={policy.review.rubberStampMinReviews} />
      </Panel>
    </div>
  );
}
