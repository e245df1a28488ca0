// The headline numbers of the week, each with its week-over-week change.
import { formatPct } from '@/lib/reports/deltas';
import { latencyText, minutesText, ordersText } from '@/lib/reports/format';
import type { WeeklyReport } from '@/lib/reports/types';
import { DeltaText, RateDeltaText } from './delta';
import { StatCard } from './stat-card';

export function HeadlineGrid({ report }: { report: WeeklyReport }) {
  const h = report.headline;
  const c = report.current;
  const sev = ([1, 2, 3, 4] as const).filter((s) => h.incidentsBySeverity[s].current > 0);
  const nonCompliant = c.tier1.changes - c.tier1.compliant;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="headline">
      <StatCard testId="stat-shipped" label="Changes shipped" value={h.changesShipped.current.toLocaleString('en-US')} sub={`${c.deployments.toLocaleString('en-US')} production deployments`} delta={<DeltaText delta={h.changesShipped} />} />
      <StatCard
        testId="stat-ai"
        label="AI involved"
        value={formatPct(h.aiShare.any.current)}
        sub={`assisted ${formatPct(h.aiShare.assisted.current)} · generated ${formatPct(h.aiShare.generated.current)} · agent ${formatPct(h.aiShare.agent.current)}`}
        delta={<RateDeltaText delta={h.aiShare.any} />}
      />
      <StatCard
        testId="stat-tier1"
        label="Tier-1 two-person sign-off"
        value={formatPct(h.tier1Compliance.current)}
        sub={h.tier1Changes.current ? `${c.tier1.compliant} of ${c.tier1.changes} Tier-1 changes${nonCompliant ? ` · ${nonCompliant} without` : ''}` : 'no Tier-1 change shipped'}
        delta={<RateDeltaText delta={h.tier1Compliance} />}
        alarm={nonCompliant > 0}
      />
      <StatCard testId="stat-bypasses" label="Gate bypasses" value={h.bypasses.current} sub="deployed without an allowing gate decision" delta={<DeltaText delta={h.bypasses} />} alarm={h.bypasses.current > 0} />
      <StatCard
        testId="stat-incidents"
        label="Incidents"
        value={h.incidents.current}
        sub={sev.length ? sev.map((s) => `SEV-${s} ×${h.incidentsBySeverity[s].current}`).join(' · ') : 'none started this week'}
        delta={<DeltaText delta={h.incidents} />}
        alarm={h.incidentsBySeverity[1].current + h.incidentsBySeverity[2].current > 0}
      />
      <StatCard testId="stat-impact" label="Impact" value={minutesText(h.minutesOfImpact.current)} sub={c.incidents.ongoing ? `${c.incidents.ongoing} still open` : 'from start to resolution'} delta={<DeltaText delta={h.minutesOfImpact} unit=" min" />} />
      <StatCard
        testId="stat-orders"
        label="Lost orders (where known)"
        value={h.lostOrders.current === null ? '—' : ordersText(h.lostOrders.current)}
        sub={h.lostOrders.current === null ? 'no incident reported lost orders' : 'estimated by incident owners'}
        delta={h.lostOrders.current === null && h.lostOrders.previous === null ? undefined : <DeltaText delta={h.lostOrders.delta} />}
        alarm={(h.lostOrders.current ?? 0) > 0}
      />
      <StatCard
        testId="stat-cfr"
        label="Change failure rate"
        value={formatPct(h.changeFailureRate.current, 1)}
        sub={`${c.failedDeployments} of ${c.deployments} deployments led to an incident · approval median ${latencyText(h.approvalLatencyMedian.current)}`}
        delta={<RateDeltaText delta={h.changeFailureRate} />}
      />
    </div>
  );
}
