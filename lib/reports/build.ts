// Turns two weeks of figures and the week's detail into the report: headline numbers with
// week-over-week change, and the sentences leaders must discuss. Pure: no I/O, no clock.
import { AI_LEVELS } from '@/db/schema/enums';
import { delta, rateDelta, ratio } from './deltas';
import { formatWeekRange, isComplete, shiftIsoWeek, type IsoWeek } from './iso-week';
import { discussionItems } from './sentences';
import type { Headline, WeekDetail, WeekFigures, WeeklyReport } from './types';

export function buildHeadline(current: WeekFigures, previous: WeekFigures): Headline {
  const share = (f: WeekFigures, level: (typeof AI_LEVELS)[number]) => ratio(f.byAi[level], f.changesShipped);
  const anyAi = (f: WeekFigures) => ratio(f.byAi.assisted + f.byAi.generated + f.byAi.agent, f.changesShipped);
  const sev = (s: 1 | 2 | 3 | 4) => ({ current: current.incidents.bySeverity[s], previous: previous.incidents.bySeverity[s] });
  return {
    changesShipped: delta(current.changesShipped, previous.changesShipped),
    deployments: delta(current.deployments, previous.deployments),
    aiShare: {
      assisted: rateDelta(share(current, 'assisted'), share(previous, 'assisted')),
      generated: rateDelta(share(current, 'generated'), share(previous, 'generated')),
      agent: rateDelta(share(current, 'agent'), share(previous, 'agent')),
      any: rateDelta(anyAi(current), anyAi(previous)),
    },
    tier1Changes: delta(current.tier1.changes, previous.tier1.changes),
    tier1Compliance: rateDelta(ratio(current.tier1.compliant, current.tier1.changes), ratio(previous.tier1.compliant, previous.tier1.changes), 'higher'),
    bypasses: delta(current.bypasses, previous.bypasses, 'lower'),
    incidents: delta(current.incidents.total, previous.incidents.total, 'lower'),
    incidentsBySeverity: { 1: sev(1), 2: sev(2), 3: sev(3), 4: sev(4) },
    minutesOfImpact: delta(current.incidents.minutesOfImpact, previous.incidents.minutesOfImpact, 'lower'),
    lostOrders: {
      current: current.incidents.lostOrders,
      previous: previous.incidents.lostOrders,
      delta: delta(current.incidents.lostOrders ?? 0, previous.incidents.lostOrders ?? 0, 'lower'),
    },
    changeFailureRate: rateDelta(ratio(current.failedDeployments, current.deployments), ratio(previous.failedDeployments, previous.deployments), 'lower'),
    approvalLatencyMedian: { current: current.approvalLatency.medianMinutes, previous: previous.approvalLatency.medianMinutes },
    approvalLatencyP90: { current: current.approvalLatency.p90Minutes, previous: previous.approvalLatency.p90Minutes },
  };
}

export function isEmptyWeek(f: WeekFigures, d: WeekDetail): boolean {
  return (
    f.changesShipped === 0 &&
    f.deployments === 0 &&
    f.bypasses === 0 &&
    f.incidents.total === 0 &&
    f.approvalLatency.count === 0 &&
    d.watchouts.length === 0 &&
    d.overdueBreakGlass.length === 0
  );
}

export function buildWeeklyReport(week: IsoWeek, data: { current: WeekFigures; previous: WeekFigures; detail: WeekDetail }, now: Date): WeeklyReport {
  const { current, previous } = data;
  // Overdue as of the week's end, or as of now for the week in progress.
  const asOf = Math.min(week.end.getTime(), now.getTime());
  const detail = { ...data.detail, overdueBreakGlass: data.detail.overdueBreakGlass.filter((b) => Date.parse(b.dueAt) <= asOf) };
  const headline = buildHeadline(current, previous);
  const next = shiftIsoWeek(week, 1);
  return {
    isoWeek: week.id,
    range: formatWeekRange(week),
    start: week.start.toISOString(),
    end: week.end.toISOString(),
    complete: isComplete(week, now),
    empty: isEmptyWeek(current, detail),
    previousWeek: shiftIsoWeek(week, -1).id,
    nextWeek: next.start.getTime() <= now.getTime() ? next.id : null,
    generatedAt: now.toISOString(),
    headline,
    current,
    previous,
    discuss: discussionItems({ current, previous, headline, detail }),
    incidents: detail.incidents,
    riskiestChanges: detail.riskiest,
    tier1WithoutTwoApprovals: detail.tier1WithoutTwo,
    bypasses: detail.bypasses,
    services: detail.services,
    watchouts: detail.watchouts,
    overdueBreakGlass: detail.overdueBreakGlass,
    charts: detail.charts,
    attestations: detail.attestations,
  };
}
