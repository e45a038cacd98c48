/**
 * Deadlines under German civil law (BGB §§ 187(1), 188, 193), on `YYYY-MM-DD` calendar dates.
 *
 * Pure: no clock, no I/O. Every result is the last day of a period, meaning the period runs
 * until 24:00 of that day.
 */
import type { DeadlineRules, HolidayRegion, Period } from '../schemas/notice-policy.ts';
import {
  SATURDAY,
  SUNDAY,
  addDays,
  addMonthsKeepingDayOrLast,
  isoWeekdayOf,
  parseCalendarDate,
} from './calendar-date.ts';
import { isPublicHoliday } from './holidays.ts';

/**
 * The last day of a period set off by an event (receipt of a notice, an announcement).
 *
 * - BGB §187(1): the day of the event does not count; counting starts the next day.
 * - `calendar-days`: §188(1), the period ends after `amount` days.
 * - `weeks` / `months`: §188(2), the period ends on the day of the last week or month that has
 *   the same weekday or day number as the event day; §188(3), if that day does not exist in the
 *   last month (31 January + 1 month), the month's last day ends it.
 * - `werktage`: the `amount`-th day after the event that is Monday–Saturday and not a public
 *   holiday in `rules.holidayRegion`; `business-days`: the same with Monday–Friday.
 * - Then, when `rules.shiftToNextWorkingDay` is set, §193: a last day on a Saturday, Sunday or
 *   public holiday is replaced by the next day that is none of these.
 *
 * @param triggerDate the day of the event, `YYYY-MM-DD`
 * @returns the last day of the period, `YYYY-MM-DD` (inclusive)
 * @throws RangeError for a malformed date or an amount that is not a whole number ≥ 1
 */
export function addPeriod(triggerDate: string, period: Period, rules: DeadlineRules): string {
  parseCalendarDate(triggerDate);
  if (!Number.isInteger(period.amount) || period.amount < 1) {
    throw new RangeError(`period amount must be a whole number of at least 1, got ${period.amount}`);
  }
  const lastDay = lastDayByCounting(triggerDate, period, rules.holidayRegion);
  return rules.shiftToNextWorkingDay ? firstWorkingDayFrom(lastDay, rules.holidayRegion) : lastDay;
}

/**
 * The first day on which a change announced on `announcedOn` may take effect: the notice period
 * must have run out completely (24:00 of its last day), so the change can apply from the next day.
 *
 * Whether §193 lengthens a notice period is a matter of contract (courts do not apply it to
 * periods of notice that protect the recipient), which is why `rules` decides.
 *
 * @param announcedOn day the announcement was received, `YYYY-MM-DD`
 * @returns `YYYY-MM-DD`
 * @throws RangeError for a malformed date or an invalid period amount
 */
export function earliestEffectiveDate(announcedOn: string, noticePeriod: Period, rules: DeadlineRules): string {
  return addDays(addPeriod(announcedOn, noticePeriod, rules), 1);
}

/**
 * The last day on which a customer may object to a notice received on `receivedOn`; the
 * objection is in time if it arrives by 24:00 of that day. The day of receipt does not count
 * (BGB §187(1)).
 *
 * @param receivedOn day the notice was received, `YYYY-MM-DD`
 * @returns `YYYY-MM-DD`
 * @throws RangeError for a malformed date or an invalid period amount
 */
export function objectionDeadline(receivedOn: string, objectionPeriod: Period, rules: DeadlineRules): string {
  return addPeriod(receivedOn, objectionPeriod, rules);
}

/** The last day under §§187(1), 188 alone, before any §193 shift. */
function lastDayByCounting(triggerDate: string, { amount, unit }: Period, region: HolidayRegion): string {
  switch (unit) {
    case 'calendar-days':
      return addDays(triggerDate, amount);
    case 'weeks':
      // Same weekday `amount` weeks later (§188(2)).
      return addDays(triggerDate, amount * 7);
    case 'months':
      // Same day number `amount` months later, else the month's last day (§188(2), (3)).
      return addMonthsKeepingDayOrLast(triggerDate, amount);
    case 'werktage':
      return nthCountedDayAfter(triggerDate, amount, (date) => isWerktag(date, region));
    case 'business-days':
      return nthCountedDayAfter(triggerDate, amount, (date) => isBusinessDay(date, region));
    default:
      return assertNever(unit);
  }
}

/** Walks forward from the day after `triggerDate` (§187(1)) to the `amount`-th day that counts. */
function nthCountedDayAfter(triggerDate: string, amount: number, counts: (date: string) => boolean): string {
  let date = triggerDate;
  let counted = 0;
  while (counted < amount) {
    date = addDays(date, 1);
    if (counts(date)) counted += 1;
  }
  return date;
}

/** §193: the given day if it is a working day, otherwise the next one. */
function firstWorkingDayFrom(date: string, region: HolidayRegion): string {
  let candidate = date;
  while (!isBusinessDay(candidate, region)) candidate = addDays(candidate, 1);
  return candidate;
}

/** Statutory "Werktag": Monday to Saturday, unless a public holiday. */
function isWerktag(date: string, region: HolidayRegion): boolean {
  return isoWeekdayOf(date) !== SUNDAY && !isPublicHoliday(date, region);
}

/** Monday to Friday, unless a public holiday; also the "working day" of §193. */
function isBusinessDay(date: string, region: HolidayRegion): boolean {
  const weekday = isoWeekdayOf(date);
  return weekday !== SATURDAY && weekday !== SUNDAY && !isPublicHoliday(date, region);
}

function assertNever(value: never): never {
  throw new RangeError(`unknown period unit: ${String(value)}`);
}
