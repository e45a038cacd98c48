import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { berlinMidnight, retentionCutoff, retentionEnd, retentionOver, type RetentionPeriod } from '../src/domain/retention.ts';

const years = (amount: number, countFrom: RetentionPeriod['countFrom'] = 'end-of-year'): RetentionPeriod => ({ amount, unit: 'years', countFrom });
const iso = (date: Date) => date.toISOString();

describe('berlinMidnight', () => {
  it('is 23:00 UTC the day before in winter and 22:00 UTC in summer, also on the switch days', () => {
    expect(iso(berlinMidnight('2027-01-01'))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(berlinMidnight('2026-07-15'))).toBe('2026-07-14T22:00:00.000Z');
    // Clocks go forward at 02:00 on 29 March 2026 and back at 03:00 on 25 October 2026.
    expect(iso(berlinMidnight('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(berlinMidnight('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(berlinMidnight('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(berlinMidnight('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z');
  });
});

describe('retentionEnd', () => {
  // Hand-computed: each row is an event, a period and the instant the data must be gone.
  const cases: Array<[string, RetentionPeriod, string, string]> = [
    // End of calendar year + N years, in Berlin: New Year's Eve 23:59 Berlin is still the old year…
    ['2026-12-31T22:59:59.999Z', years(3), '2029-12-31T23:00:00.000Z', 'unsubscribed 31 Dec 2026 23:59:59.999 Berlin: 3 years after the end of 2026'],
    // …and 00:00 Berlin on 1 January is already the new one, though it is still 31 December in UTC.
    ['2026-12-31T23:00:00.000Z', years(3), '2030-12-31T23:00:00.000Z', 'unsubscribed 1 Jan 2027 00:00 Berlin: 3 years after the end of 2027'],
    ['2026-01-01T00:00:00.000Z', years(3), '2029-12-31T23:00:00.000Z', '1 Jan 2026 01:00 Berlin: the whole of 2026 first'],
    ['2026-03-14T23:00:00.000Z', years(6), '2032-12-31T23:00:00.000Z', 'AVV ended 15 March 2026: 6 years after the end of 2026 (§ 257 HGB)'],
    ['2026-07-01T10:00:00.000Z', { amount: 6, unit: 'months', countFrom: 'end-of-year' }, '2027-06-30T22:00:00.000Z', 'half a year after the end of 2026, in summer time'],
    // Hours run from the instant, across the DST switch too.
    ['2026-11-20T10:00:00.000Z', { amount: 72, unit: 'hours', countFrom: 'event' }, '2026-11-23T10:00:00.000Z', '72 hours'],
    ['2026-03-28T12:00:00.000Z', { amount: 24, unit: 'hours', countFrom: 'event' }, '2026-03-29T12:00:00.000Z', '24 hours over the spring switch'],
    // Days, months and years from the event end with the end of their last day (§§ 187, 188 BGB).
    ['2026-11-20T10:00:00.000Z', { amount: 7, unit: 'days', countFrom: 'event' }, '2026-11-27T23:00:00.000Z', '7 days: to the end of 27 November'],
    ['2026-01-31T08:00:00.000Z', { amount: 1, unit: 'months', countFrom: 'event' }, '2026-02-28T23:00:00.000Z', 'one month from 31 January ends with 28 February'],
    ['2024-02-29T08:00:00.000Z', years(1, 'event'), '2025-02-28T23:00:00.000Z', 'a year from 29 February ends with 28 February'],
  ];
  it.each(cases)('%s + %o → %s (%s)', (event, period, end) => {
    expect(iso(retentionEnd(event, period))).toBe(end);
  });

  it('is over exactly at its end, not a millisecond before', () => {
    const event = '2026-12-31T23:00:00.000Z';
    const end = retentionEnd(event, years(3));
    expect(retentionOver(event, years(3), new Date(end.getTime() - 1))).toBe(false);
    expect(retentionOver(event, years(3), end)).toBe(true);
  });

  it('refuses an invalid instant', () => {
    expect(() => retentionEnd('not a date', years(3))).toThrow(RangeError);
  });
});

describe('retentionCutoff', () => {
  it('on 1 January 2030 00:00 Berlin, everything from 2026 and before is due after 3 years, nothing from 2027', () => {
    const now = new Date('2029-12-31T23:00:00.000Z');
    expect(iso(retentionCutoff(years(3), now))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(retentionCutoff(years(3), new Date(now.getTime() - 1)))).toBe('2025-12-31T23:00:00.000Z');
  });

  it('72 hours: everything older than 72 hours before now', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    expect(iso(retentionCutoff({ amount: 72, unit: 'hours', countFrom: 'event' }, now))).toBe('2026-11-20T12:00:00.001Z');
  });

  it('agrees with retentionEnd for any event, period and now: event < cutoff exactly when the period is over', () => {
    const period = fc.record({
      amount: fc.integer({ min: 1, max: 10 }),
      unit: fc.constantFrom('hours', 'days', 'months', 'years'),
      countFrom: fc.constantFrom('event', 'end-of-year'),
    }) as fc.Arbitrary<RetentionPeriod>;
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(period, instant, instant, (p, event, now) => {
        expect(event.getTime() < retentionCutoff(p, now).getTime()).toBe(retentionOver(event, p, now));
      }),
      { numRuns: 300 },
    );
  });
});
