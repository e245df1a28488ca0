// Week-over-week change of a figure, and whether the change is good news: fewer bypasses
// is good, fewer changes shipped is neither. Rates move in percentage points, not percent.

export type Better = 'higher' | 'lower' | 'neutral';
export type Tone = 'good' | 'bad' | 'neutral';

export interface Delta {
  current: number;
  previous: number;
  /** current − previous (percentage points for rates). */
  change: number;
  /** Relative change in percent; null when the previous value was 0. */
  changePct: number | null;
  trend: 'up' | 'down' | 'flat';
  tone: Tone;
}

/** Rates are fractions 0..1, or null when there was nothing to measure. */
export interface RateDelta {
  current: number | null;
  previous: number | null;
  /** In percentage points; null when either side is unknown. */
  changePts: number | null;
  trend: 'up' | 'down' | 'flat';
  tone: Tone;
}

function toneOf(trend: 'up' | 'down' | 'flat', better: Better): Tone {
  if (trend === 'flat' || better === 'neutral') return 'neutral';
  return (trend === 'up') === (better === 'higher') ? 'good' : 'bad';
}

export function delta(current: number, previous: number, better: Better = 'neutral'): Delta {
  const change = current - previous;
  const trend = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  return {
    current,
    previous,
    change,
    changePct: previous === 0 ? null : Math.round((change / previous) * 1000) / 10,
    trend,
    tone: toneOf(trend, better),
  };
}

/** A movement smaller than half a percentage point reads as flat. */
export function rateDelta(current: number | null, previous: number | null, better: Better = 'neutral'): RateDelta {
  if (current === null || previous === null) return { current, previous, changePts: null, trend: 'flat', tone: 'neutral' };
  const pts = Math.round((current - previous) * 1000) / 10;
  const trend = Math.abs(pts) < 0.5 ? 'flat' : pts > 0 ? 'up' : 'down';
  return { current, previous, changePts: pts, trend, tone: toneOf(trend, better) };
}

/** A share as a fraction, null when the whole is 0 (nothing to divide). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** "+3", "−2", "±0" — with a real minus sign. */
export function formatSigned(n: number, unit = ''): string {
  if (n === 0) return `±0${unit}`;
  const abs = Number.isInteger(n) ? Math.abs(n).toLocaleString('en-US') : Math.abs(n).toFixed(1);
  return `${n > 0 ? '+' : '−'}${abs}${unit}`;
}

export function formatPct(rate: number | null, digits = 0): string {
  if (rate === null) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** "+12% vs last week", "−3 pts vs last week", "no change". */
export function describeDelta(d: Delta): string {
  if (d.trend === 'flat') return 'no change';
  return `${formatSigned(d.change)} vs last week`;
}

export function describeRateDelta(d: RateDelta): string {
  if (d.changePts === null) return d.current === null ? 'nothing to measure' : 'new this week';
  if (d.trend === 'flat') return 'no change';
  return `${formatSigned(d.changePts, ' pts')} vs last week`;
}
