/**
 * Calendar dates as `YYYY-MM-DD` strings.
 *
 * Legal periods are counted in whole days, not instants. Keeping dates as plain strings and
 * doing all arithmetic with UTC-based `Date` methods means no result can ever depend on the
 * time zone of the process (Node on a laptop, workerd in UTC).
 */

/** A calendar date, split into its numbered parts (month and day start at 1). */
export interface CalendarDateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** ISO weekday: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const SATURDAY: IsoWeekday = 6;
export const SUNDAY: IsoWeekday = 7;

/** Exactly four-digit year, two-digit month and day, so '2025-2-3' is rejected, not guessed. */
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MILLISECONDS_PER_DAY = 86_400_000;

/**
 * Splits a `YYYY-MM-DD` string into its parts.
 * @throws RangeError when the text is not in that form or names a day that does not exist
 *   (e.g. '2025-02-30', '2025-2-3', '0000-01-01').
 */
export function parseCalendarDate(text: string): CalendarDateParts {
  const match = typeof text === 'string' ? ISO_DATE_PATTERN.exec(text) : null;
  if (!match) {
    throw new RangeError(`"${String(text)}" is not a calendar date in the form YYYY-MM-DD`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${text}" is not a calendar date: that day does not exist`);
  }
  return { year, month, day };
}

/** True when `text` is a `YYYY-MM-DD` string naming a day that exists. */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  try {
    parseCalendarDate(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes parts as `YYYY-MM-DD`.
 * @throws RangeError for years outside 1–9999, which have no four-digit form.
 */
export function formatCalendarDate({ year, month, day }: CalendarDateParts): string {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`year ${year} is outside the supported range 1–9999`);
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Gregorian leap year: every 4th year, except centuries not divisible by 400 (2100 is not). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  const lengths = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const length = lengths[month - 1];
  if (length === undefined) throw new RangeError(`month ${month} is not between 1 and 12`);
  return length;
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return fromUtcMidnight(toUtcMidnight(date) + days * MILLISECONDS_PER_DAY);
}

/**
 * The date `months` months after `date`, keeping the day of the month; when that day does not
 * exist in the target month (31 → April, 29/30/31 → February) the month's last day is used.
 */
export function addMonthsKeepingDayOrLast(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`months must be a whole number, got ${months}`);
  const { year, month, day } = parseCalendarDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return formatCalendarDate({ year: targetYear, month: targetMonth, day: targetDay });
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(date: string): IsoWeekday {
  const sundayZero = new Date(toUtcMidnight(date)).getUTCDay();
  return (sundayZero === 0 ? 7 : sundayZero) as IsoWeekday;
}

/** Negative when `a` is before `b`, zero when equal, positive when after; usable with sort(). */
export function compareCalendarDates(a: string, b: string): number {
  parseCalendarDate(a);
  parseCalendarDate(b);
  // Zero-padded ISO dates sort lexically in calendar order.
  return a < b ? -1 : a > b ? 1 : 0;
}

let berlinDateFormat: Intl.DateTimeFormat | undefined;

/**
 * The calendar date in Europe/Berlin (German legal time) at a given instant, e.g. for the day a
 * notice was received. '2025-01-31T23:30:00Z' is already 1 February in Berlin (UTC+1).
 * @param instant a `Date` or a string `new Date()` understands, ideally ISO 8601 with offset.
 * @throws RangeError when the instant is invalid.
 */
export function berlinDateOf(instant: Date | string): string {
  const moment = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(moment.getTime())) {
    throw new RangeError(`"${String(instant)}" is not a valid instant`);
  }
  // Created lazily: nothing runs at module load, which keeps the module cheap in workerd.
  berlinDateFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const parts = berlinDateFormat.formatToParts(moment);
  const partValue = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  return formatCalendarDate({ year: partValue('year'), month: partValue('month'), day: partValue('day') });
}

function toUtcMidnight(date: string): number {
  const { year, month, day } = parseCalendarDate(date);
  const moment = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  moment.setUTCFullYear(year, month - 1, day);
  return moment.getTime();
}

function fromUtcMidnight(milliseconds: number): string {
  const moment = new Date(milliseconds);
  return formatCalendarDate({
    year: moment.getUTCFullYear(),
    month: moment.getUTCMonth() + 1,
    day: moment.getUTCDate(),
  });
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
