// Wording shared by the report's sentences, its Markdown and its PDF.
import type { AiLevel } from '@/db/schema/enums';

export const AI_WORDS: Record<AiLevel, string> = { none: 'human-written', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'written by an AI agent' };
export const AI_SHORT: Record<AiLevel, string> = { none: 'Human', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** 90 → "1 h 30 min", 900 → "15 h", 45 → "45 min". */
export function minutesText(min: number): string {
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h >= 48 && m === 0) return `${h} h`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Latency for people: "42 min", "3.5 h", "2.1 days". */
export function latencyText(min: number | null): string {
  if (min === null) return '—';
  if (min < 90) return `${Math.round(min)} min`;
  if (min < 48 * 60) return `${(min / 60).toFixed(1)} h`;
  return `${(min / 1440).toFixed(1)} days`;
}

export function ordersText(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)} million`;
  return n.toLocaleString('en-US');
}

/** "Thu 5 Mar 14:02 UTC" */
export function shortDateTime(isoString: string): string {
  const d = new Date(isoString);
  const day = d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).replace(',', '');
  return `${day} ${d.toISOString().slice(11, 16)} UTC`;
}

export function shortDate(isoString: string): string {
  return new Date(isoString).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
