// Week-over-week change: the sign, the percentage, and whether it is good news.
import { describe, expect, it } from 'vitest';
import { buildHeadline } from '@/lib/reports/build';
import { delta, describeDelta, describeRateDelta, formatPct, formatSigned, rateDelta, ratio } from '@/lib/reports/deltas';
import type { WeekFigures } from '@/lib/reports/types';

const week = (over: Partial<WeekFigures> = {}): WeekFigures => ({
  changesShipped: 0,
  deployments: 0,
  byAi: { none: 0, assisted: 0, generated: 0, agent: 0 },
  tier1: { changes: 0, compliant: 0 },
  bypasses: 0,
  incidents: { total: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 }, minutesOfImpact: 0, lostOrders: null, ongoing: 0 },
  failedDeployments: 0,
  approvalLatency: { count: 0, medianMinutes: null, p90Minutes: null },
  ...over,
});

describe('deltas', () => {
  it('says how a count moved and whether that is good', () => {
    expect(delta(12, 8, 'lower')).toMatchObject({ change: 4, changePct: 50, trend: 'up', tone: 'bad' });
    expect(delta(3, 6, 'lower')).toMatchObject({ change: -3, changePct: -50, trend: 'down', tone: 'good' });
    expect(delta(5, 0)).toMatchObject({ changePct: null, trend: 'up', tone: 'neutral' });
    expect(delta(4, 4, 'lower')).toMatchObject({ trend: 'flat', tone: 'neutral' });
    expect(describeDelta(delta(3, 1))).toBe('+2 vs last week');
    expect(describeDelta(delta(1, 1))).toBe('no change');
  });

  it('moves rates in percentage points, flat under half a point, unknown when nothing was measured', () => {
    expect(rateDelta(0.9, 1, 'higher')).toMatchObject({ changePts: -10, trend: 'down', tone: 'bad' });
    expect(rateDelta(0.502, 0.5, 'higher')).toMatchObject({ trend: 'flat', tone: 'neutral' });
    expect(rateDelta(null, 0.5)).toMatchObject({ changePts: null, trend: 'flat' });
    expect(describeRateDelta(rateDelta(0.055, 0, 'lower'))).toBe('+5.5 pts vs last week');
    expect(describeRateDelta(rateDelta(0.5, null))).toBe('new this week');
    expect(ratio(1, 0)).toBeNull();
  });

  it('formats with a real minus sign and thousands separators', () => {
    expect(formatSigned(-1200)).toBe('−1,200');
    expect(formatSigned(2.5, ' pts')).toBe('+2.5 pts');
    expect(formatSigned(0)).toBe('±0');
    expect(formatPct(0.9142)).toBe('91%');
    expect(formatPct(0.0545, 1)).toBe('5.5%');
    expect(formatPct(null)).toBe('—');
  });

  it('builds the headline: shares of changes shipped, Tier-1 compliance, change failure rate', () => {
    const cur = week({
      changesShipped: 50,
      deployments: 55,
      byAi: { none: 30, assisted: 10, generated: 8, agent: 2 },
      tier1: { changes: 20, compliant: 18 },
      bypasses: 1,
      failedDeployments: 3,
      incidents: { total: 2, bySeverity: { 1: 1, 2: 0, 3: 1, 4: 0 }, minutesOfImpact: 400, lostOrders: 1000, ongoing: 0 },
    });
    const prev = week({ changesShipped: 40, deployments: 40, byAi: { none: 36, assisted: 4, generated: 0, agent: 0 }, tier1: { changes: 10, compliant: 10 } });
    const h = buildHeadline(cur, prev);
    expect(h.aiShare.any.current).toBeCloseTo(0.4, 10);
    expect(h.aiShare.any.changePts).toBe(30);
    expect(h.tier1Compliance).toMatchObject({ current: 0.9, previous: 1, tone: 'bad' });
    expect(h.changeFailureRate.current).toBeCloseTo(3 / 55, 10);
    expect(h.changeFailureRate.previous).toBe(0);
    expect(h.bypasses.tone).toBe('bad');
    expect(h.lostOrders).toMatchObject({ current: 1000, previous: null });
    expect(h.incidentsBySeverity[1]).toEqual({ current: 1, previous: 0 });
  });
});
