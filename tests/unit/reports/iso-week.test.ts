// ISO-8601 weeks in UTC: Monday to Sunday, week 1 holds the year's first Thursday.
import { describe, expect, it } from 'vitest';
import { daysOf, formatWeekRange, isComplete, isIsoWeek, isoWeekOf, IsoWeekError, lastCompleteWeek, parseIsoWeek, shiftIsoWeek, weeksInYear } from '@/lib/reports/iso-week';

describe('ISO weeks', () => {
  it('parses a week into its Monday 00:00 UTC and the next Monday', () => {
    const w = parseIsoWeek('2026-W11');
    expect(w.start.toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(w).toMatchObject({ id: '2026-W11', year: 2026, week: 11 });
  });

  it('puts week 1 around New Year where the first Thursday says', () => {
    expect(parseIsoWeek('2026-W01').start.toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(parseIsoWeek('2025-W01').start.toISOString()).toBe('2024-12-30T00:00:00.000Z');
    expect(parseIsoWeek('2021-W01').start.toISOString()).toBe('2021-01-04T00:00:00.000Z');
    expect(isoWeekOf(new Date('2021-01-03T23:59:59Z')).id).toBe('2020-W53');
    expect(isoWeekOf(new Date('2025-12-29T00:00:00Z')).id).toBe('2026-W01');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z')).id).toBe('2026-W53');
  });

  it('knows which years have 53 weeks', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(weeksInYear(2024)).toBe(52);
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
  });

  it('refuses malformed weeks with a clear message', () => {
    for (const bad of ['2026-11', '2026-W1', '2026-W00', '2026-W54', '2026-w11', ' 2026-W11', '2026-W11 ', '1999-W10', '26-W11', '2026W11', '']) {
      expect(() => parseIsoWeek(bad), bad).toThrow(IsoWeekError);
    }
    expect(() => parseIsoWeek('2025-W53')).toThrow(/2025 has weeks 01 to 52/);
  });

  it('uses UTC whatever the moment: Sunday 23:59 UTC is still that week', () => {
    expect(isoWeekOf(new Date('2026-03-15T23:59:59.999Z')).id).toBe('2026-W11');
    expect(isoWeekOf(new Date('2026-03-16T00:00:00.000Z')).id).toBe('2026-W12');
    expect(isoWeekOf(new Date('2026-03-16T01:00:00+02:00')).id).toBe('2026-W11');
  });

  it('finds the last complete week: on Monday morning, the week just gone', () => {
    expect(lastCompleteWeek(new Date('2026-03-16T07:30:00Z')).id).toBe('2026-W11');
    expect(lastCompleteWeek(new Date('2026-03-15T23:00:00Z')).id).toBe('2026-W10');
    expect(lastCompleteWeek(new Date('2026-01-02T09:00:00Z')).id).toBe('2025-W52');
    expect(isComplete(parseIsoWeek('2026-W11'), new Date('2026-03-16T00:00:00Z'))).toBe(true);
    expect(isComplete(parseIsoWeek('2026-W11'), new Date('2026-03-15T23:59:59Z'))).toBe(false);
  });

  it('moves between weeks across years, lists the days, and words the range', () => {
    expect(shiftIsoWeek(parseIsoWeek('2026-W01'), -1).id).toBe('2025-W52');
    expect(shiftIsoWeek(parseIsoWeek('2026-W53'), 1).id).toBe('2027-W01');
    expect(daysOf(parseIsoWeek('2026-W10'))).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(formatWeekRange(parseIsoWeek('2026-W10'))).toBe('2–8 March 2026');
    expect(formatWeekRange(parseIsoWeek('2026-W14'))).toBe('30 March – 5 April 2026');
    expect(formatWeekRange(parseIsoWeek('2026-W01'))).toBe('29 December 2025 – 4 January 2026');
  });
});
