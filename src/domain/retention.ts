import { z } from 'zod';
import { RETENTION_RULE_IDS, type Retention, type RetentionRuleId } from '../schemas/legal.ts';
import { addDays, addMonthsKeepingDayOrLast, berlinDateOf } from './calendar-date.ts';

/**
 * When a retention period of the privacy notice ends, for the Cron Trigger's purge jobs. The
 * periods themselves come from content/legal/privacy.yaml through the manifest; this module only
 * counts. One definition (`retentionEnd`) decides, and `retentionCutoff` is derived from it, so
 * the SQL that selects what to delete cannot count differently from what the tests check.
 *
 * Counting follows the BGB as the notice's readers understand it: a period of hours ends that
 * many hours after the event; a period of days, months or years ends with the end of its last
 * day (§ 187 Abs. 1, § 188 Abs. 1 und 2 BGB: the event's day is not counted), in Europe/Berlin.
 * `end-of-year` periods start at the end of the calendar year (Europe/Berlin) in which the event
 * falls (§ 257 Abs. 5 HGB), so "6 Jahre nach Ende des Kalenderjahres" of an AVV that ended on
 * 15 March 2026 runs until 31 December 2032, 24:00 in Berlin.
 */

/** One period as the manifest carries it. */
export const RetentionPeriodSchema = z.strictObject({
  /** Length. Example: `3`. */
  amount: z.number().int().positive(),
  /** Unit. Example: `years`. */
  unit: z.enum(['hours', 'days', 'months', 'years']),
  /** From the event itself, or from the end of its calendar year (Europe/Berlin). */
  countFrom: z.enum(['event', 'end-of-year']),
});
export type RetentionPeriod = z.output<typeof RetentionPeriodSchema>;

/** Every rule's period, as the privacy notice states it (the manifest's `retention`). */
export const RetentionPeriodsSchema = z.record(z.enum(RETENTION_RULE_IDS), RetentionPeriodSchema);
export type RetentionPeriods = Record<RetentionRuleId, RetentionPeriod>;

/** The periods of the notice by rule; the build checks each rule is stated exactly once. */
export function retentionPeriodsOf(periods: readonly Retention[]): Partial<RetentionPeriods> {
  return Object.fromEntries(periods.map(({ rule, amount, unit, countFrom }) => [rule, { amount, unit, countFrom }]));
}

const HOUR = 3_600_000;

/**
 * The instant Berlin's clocks show 00:00 on `date`. Berlin is UTC+1 or UTC+2 and never switches
 * at midnight, so exactly one of the two offsets gives that date with the previous date just
 * before it.
 */
export function berlinMidnight(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, day);
  for (const offset of [1, 2]) {
    const instant = utcMidnight - offset * HOUR;
    if (berlinDateOf(new Date(instant)) === date && berlinDateOf(new Date(instant - 1)) !== date) return new Date(instant);
  }
  throw new RangeError(`no Berlin midnight found for ${date}`);
}

/** The instant the period counted from `event` ends; from then on the data must be gone. */
export function retentionEnd(event: Date | string, period: RetentionPeriod): Date {
  const at = event instanceof Date ? event : new Date(event);
  if (Number.isNaN(at.getTime())) throw new RangeError(`"${String(event)}" is not a valid instant`);
  if (period.countFrom === 'end-of-year') {
    // The period starts at 1 January 00:00 of the next year; whole units from there.
    const start = `${Number(berlinDateOf(at).slice(0, 4)) + 1}-01-01`;
    if (period.unit === 'hours') return new Date(berlinMidnight(start).getTime() + period.amount * HOUR);
    if (period.unit === 'days') return berlinMidnight(addDays(start, period.amount));
    return berlinMidnight(addMonthsKeepingDayOrLast(start, period.unit === 'years' ? period.amount * 12 : period.amount));
  }
  if (period.unit === 'hours') return new Date(at.getTime() + period.amount * HOUR);
  const day = berlinDateOf(at);
  const last = period.unit === 'days' ? addDays(day, period.amount) : addMonthsKeepingDayOrLast(day, period.unit === 'years' ? period.amount * 12 : period.amount);
  // The end of the last day is the start of the next one.
  return berlinMidnight(addDays(last, 1));
}

/** Whether data whose period runs from `event` must be gone at `now`. */
export function retentionOver(event: Date | string, period: RetentionPeriod, now: Date): boolean {
  return retentionEnd(event, period).getTime() <= now.getTime();
}

/** An upper bound of (end − event) in ms: the amount in its longest units, plus a year and a day. */
function longestSpan({ amount, unit }: RetentionPeriod): number {
  const unitMs = { hours: HOUR, days: 25 * HOUR, months: 32 * 24 * HOUR, years: 367 * 24 * HOUR }[unit];
  return amount * unitMs + 368 * 24 * HOUR;
}

/**
 * The earliest event instant whose period has not ended at `now`: everything that happened
 * strictly before it is due (as an ISO string, it compares with stored ISO times in SQL).
 * Found by bisection over `retentionEnd`, which never decreases as the event moves later, so
 * `event < retentionCutoff(period, now)` holds exactly when `retentionOver(event, period, now)`.
 */
export function retentionCutoff(period: RetentionPeriod, now: Date): Date {
  // Invariant: end(low) <= now < end(high).
  let low = now.getTime() - longestSpan(period);
  let high = now.getTime() + 1;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (retentionEnd(new Date(middle), period).getTime() <= now.getTime()) low = middle;
    else high = middle;
  }
  return new Date(high);
}
