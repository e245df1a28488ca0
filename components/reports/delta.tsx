// Week-over-week change, coloured only when it is good or bad news.
import { formatSigned, type Delta, type RateDelta, type Tone } from '@/lib/reports/deltas';

const TONE: Record<Tone, string> = {
  good: 'text-emerald-700 dark:text-emerald-400',
  bad: 'text-red-700 dark:text-red-400',
  neutral: 'text-zinc-500 dark:text-zinc-400',
};
const ARROW = { up: '▲', down: '▼', flat: '' } as const;

export function DeltaText({ delta, unit = '' }: { delta: Delta; unit?: string }) {
  if (delta.trend === 'flat') return <span className="text-xs text-zinc-500 dark:text-zinc-400">same as last week</span>;
  return (
    <span className={`text-xs tabular ${TONE[delta.tone]}`} title={`Last week: ${delta.previous.toLocaleString('en-US')}${unit}`}>
      <span aria-hidden>{ARROW[delta.trend]} </span>
      {formatSigned(delta.change, unit)} vs last week
    </span>
  );
}

export function RateDeltaText({ delta }: { delta: RateDelta }) {
  if (delta.changePts === null) return <span className="text-xs text-zinc-500 dark:text-zinc-400">{delta.current === null ? 'nothing to measure' : 'nothing last week'}</span>;
  if (delta.trend === 'flat') return <span className="text-xs text-zinc-500 dark:text-zinc-400">same as last week</span>;
  return (
    <span className={`text-xs tabular ${TONE[delta.tone]}`} title={`Last week: ${delta.previous === null ? '—' : `${(delta.previous * 100).toFixed(1)}%`}`}>
      <span aria-hidden>{ARROW[delta.trend]} </span>
      {formatSigned(delta.changePts, ' pts')} vs last week
    </span>
  );
}
