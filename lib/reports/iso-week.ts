// ISO-8601 weeks in UTC: Monday 00:00 to the next Monday 00:00, written `2026-W11`.
// Week 1 is the week with the year's first Thursday, so 2026-W01 starts on 2025-12-29.

const DAY_MS = 86_400_000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  /** `2026-W11` */
  id: string;
  year: number;
  week: number;
  /** Monday 00:00 UTC, inclusive. */
  start: Date;
  /** The next Monday 00:00 UTC, exclusive. */
  end: Date;
}

export class IsoWeekError extends Error {
  readonly code = 'invalid_week';
}

function mondayOfWeek1(year: number): number {
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY_MS;
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
export function weeksInYear(year: number): number {
  return Math.round((mondayOfWeek1(year + 1) - mondayOfWeek1(year)) / (7 * DAY_MS));
}

export function formatIsoWeek(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

function build(year: number, week: number): IsoWeek {
  const start = mondayOfWeek1(year) + (week - 1) * 7 * DAY_MS;
  return { id: formatIsoWeek(year, week), year, week, start: new Date(start), end: new Date(start + 7 * DAY_MS) };
}

/** Parses `2026-W11`; anything else (or week 53 of a 52-week year) throws IsoWeekError. */
export function parseIsoWeek(value: string): IsoWeek {
  const m = WEEK_RE.exec(value);
  if (!m) throw new IsoWeekError(`"${value.slice(0, 40)}" is not an ISO week; write it like 2026-W11.`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 2999) throw new IsoWeekError(`Year ${year} is out of range (2000–2999).`);
  const max = weeksInYear(year);
  if (week < 1 || week > max) throw new IsoWeekError(`${year} has weeks 01 to ${max}; W${m[2]} does not exist.`);
  return build(year, week);
}

export function isIsoWeek(value: string): boolean {
  try {
    parseIsoWeek(value);
    return true;
  } catch {
    return false;
  }
}

/** The ISO week a moment falls in (UTC). */
export function isoWeekOf(date: Date): IsoWeek {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const dow = (new Date(day).getUTCDay() + 6) % 7;
  const thursday = new Date(day + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - mondayOfWeek1(year)) / (7 * DAY_MS)) + 1;
  return build(year, week);
}

export function shiftIsoWeek(week: IsoWeek, by: number): IsoWeek {
  return isoWeekOf(new Date(week.start.getTime() + by * 7 * DAY_MS));
}

/** The last week that has fully ended at `now`: on a Monday morning, the week just gone. */
export function lastCompleteWeek(now: Date): IsoWeek {
  return shiftIsoWeek(isoWeekOf(now), -1);
}

export function isComplete(week: IsoWeek, now: Date): boolean {
  return week.end.getTime() <= now.getTime();
}

/** The seven days of a week as `YYYY-MM-DD`. */
export function daysOf(week: IsoWeek): string[] {
  return Array.from({ length: 7 }, (_, i) => new Date(week.start.getTime() + i * DAY_MS).toISOString().slice(0, 10));
}

/** "9–15 March 2026", or across months/years "30 March – 5 April 2026". */
export function formatWeekRange(week: IsoWeek): string {
  const last = new Date(week.end.getTime() - DAY_MS);
  const month = (d: Date) => d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  const a = week.start;
  if (a.getUTCFullYear() !== last.getUTCFullYear()) {
    return `${a.getUTCDate()} ${month(a)} ${a.getUTCFullYear()} – ${last.getUTCDate()} ${month(last)} ${last.getUTCFullYear()}`;
  }
  if (a.getUTCMonth() !== last.getUTCMonth()) return `${a.getUTCDate()} ${month(a)} – ${last.getUTCDate()} ${month(last)} ${last.getUTCFullYear()}`;
  return `${a.getUTCDate()}–${last.getUTCDate()} ${month(a)} ${a.getUTCFullYear()}`;
}
