import { getHolidays } from 'feiertagejs';
import type { HolidayRegion } from '../schemas/notice-policy.ts';
import { formatCalendarDate, parseCalendarDate } from './calendar-date.ts';

/*
 * Public holidays come from `feiertagejs` (1.5.x). Checked against the state holiday laws:
 *
 * - It is correct for every region from 2019 on, including Weltkindertag (20.9., TH since 2019),
 *   Frauentag (8.3., BE since 2019, MV since 2023), Buß- und Bettag (SN only), Reformationstag
 *   (31.10. in BB, HB, HH, MV, NI, SN, ST, SH, TH; nationwide once in 2017) and Fronleichnam
 *   (BW, BY, HE, NW, RP, SL). 24.12. and 31.12. are, correctly, not holidays anywhere.
 * - For BB it also lists Ostersonntag and Pfingstsonntag. Brandenburg's law does name them, and
 *   they are Sundays anyway, so they never change a deadline.
 * - Mariä Himmelfahrt (15.8.) is a holiday in all of SL but in BY only in municipalities with a
 *   mainly Catholic population; the library counts all of BY. We keep that: a day wrongly
 *   treated as a holiday can only lengthen a period, which errs on the safe side for both the
 *   objection deadline and the earliest effective date.
 * - Holidays of single municipalities (Augsburger Friedensfest, Fronleichnam in parts of SN and
 *   TH) are not counted: the region is a whole state.
 * - One-off holidays the library does not know are added below (Berlin, 8 May 2020 and 2025).
 *   Berlin has announced a one-off holiday on 17 June 2028 as well; add it here once enacted.
 * - Years before 2018 are not exact: the library already lists Reformationstag for HB, HH, NI
 *   and SH then (introduced in 2018), and Buß- und Bettag was nationwide until 1994.
 *
 * Time zones: the library builds each holiday's `date` at 12:00 UTC, which is the same calendar
 * day everywhere from UTC-12 to UTC+11, and we read it back with UTC getters. We deliberately do
 * not use its `dateString`, which is derived from the process's local offset and comes out one
 * day late east of UTC+12 (e.g. TZ=Pacific/Auckland turns 2025-12-25 into '2025-12-26').
 */

/** One-off statutory holidays missing from feiertagejs, by region. */
const ONE_OFF_HOLIDAYS: Readonly<Partial<Record<HolidayRegion, readonly string[]>>> = {
  // 75th and 80th anniversary of the end of the Second World War in Europe (FTG Berlin).
  BE: ['2020-05-08', '2025-05-08'],
};

const holidaysByRegionAndYear = new Map<string, ReadonlySet<string>>();

/**
 * Whether a day is a statutory public holiday in a German state (`BUND`: nationwide holidays
 * only). Sundays are not holidays by themselves; see the deviations documented in this file.
 * @param date calendar date `YYYY-MM-DD`
 * @throws RangeError when `date` is not a valid `YYYY-MM-DD` date.
 */
export function isPublicHoliday(date: string, region: HolidayRegion): boolean {
  const { year } = parseCalendarDate(date);
  return publicHolidaysOf(year, region).has(date);
}

/** All public holidays of one year in one region, as `YYYY-MM-DD`, cached per region and year. */
function publicHolidaysOf(year: number, region: HolidayRegion): ReadonlySet<string> {
  const key = `${region}:${year}`;
  let holidays = holidaysByRegionAndYear.get(key);
  if (!holidays) {
    const fromLibrary = getHolidays(year, region).map((holiday) => calendarDateAtNoonUtc(holiday.date));
    const oneOff = (ONE_OFF_HOLIDAYS[region] ?? []).filter((date) => date.startsWith(`${year}-`));
    holidays = new Set([...fromLibrary, ...oneOff]);
    holidaysByRegionAndYear.set(key, holidays);
  }
  return holidays;
}

function calendarDateAtNoonUtc(moment: Date): string {
  return formatCalendarDate({
    year: moment.getUTCFullYear(),
    month: moment.getUTCMonth() + 1,
    day: moment.getUTCDate(),
  });
}
