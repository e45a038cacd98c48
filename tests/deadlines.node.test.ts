import { afterEach, describe, expect, it } from 'vitest';
import { addDays, berlinDateOf, isoWeekdayOf, parseCalendarDate } from '../src/domain/calendar-date.ts';
import { addPeriod, earliestEffectiveDate, objectionDeadline } from '../src/domain/deadlines.ts';
import { isPublicHoliday } from '../src/domain/holidays.ts';
import type { HolidayRegion, PeriodUnit } from '../src/schemas/notice-policy.ts';

/*
 * Every expected date below was worked out by hand from a printed calendar (Python's `calendar`
 * module, Easter dates from dateutil), never by running the code under test.
 * Notation in comments: "+N" counts days after the trigger (BGB §187(1): the trigger day itself
 * does not count); "§193 →" is the shift past Saturdays, Sundays and holidays.
 */

interface PeriodCase {
  trigger: string;
  amount: number;
  unit: PeriodUnit;
  region: HolidayRegion;
  shift: boolean;
  expected: string;
}

const SHIFT = true;
const NO_SHIFT = false;

function periodCase(
  trigger: string,
  amount: number,
  unit: PeriodUnit,
  region: HolidayRegion,
  shift: boolean,
  expected: string,
): PeriodCase {
  return { trigger, amount, unit, region, shift, expected };
}

const addPeriodCases: PeriodCase[] = [
  // ── Months, §188(2)/(3) ────────────────────────────────────────────────────────────────
  // 31 Jan 2025 + 1 month: no 31 Feb, 2025 is not a leap year → Fri 28 Feb (§188(3)).
  periodCase('2025-01-31', 1, 'months', 'BUND', SHIFT, '2025-02-28'),
  // 31 Jan 2024 + 1 month: leap year → Thu 29 Feb 2024.
  periodCase('2024-01-31', 1, 'months', 'BUND', SHIFT, '2024-02-29'),
  // 31 Jan 2028 + 1 month: leap year → Tue 29 Feb 2028.
  periodCase('2028-01-31', 1, 'months', 'BUND', SHIFT, '2028-02-29'),
  // 31 Jan 2100 + 1 month: 2100 is divisible by 100 but not 400, not leap → Sun 28 Feb 2100.
  periodCase('2100-01-31', 1, 'months', 'BUND', NO_SHIFT, '2100-02-28'),
  // Same, with §193: Sun 28 Feb 2100 → Mon 1 Mar 2100.
  periodCase('2100-01-31', 1, 'months', 'BUND', SHIFT, '2100-03-01'),
  // 29 Feb 2024 + 12 months: no 29 Feb 2025 → Fri 28 Feb 2025 (§188(3)).
  periodCase('2024-02-29', 12, 'months', 'BUND', SHIFT, '2025-02-28'),
  // 31 Mar 2025 + 1 month: April has 30 days → Wed 30 Apr 2025.
  periodCase('2025-03-31', 1, 'months', 'BUND', SHIFT, '2025-04-30'),
  // 31 Aug 2025 + 6 months, across the year end: no 31 Feb 2026 → Sat 28 Feb 2026.
  periodCase('2025-08-31', 6, 'months', 'BUND', NO_SHIFT, '2026-02-28'),
  // Same, with §193: Sat 28 Feb → Sun 1 Mar → Mon 2 Mar 2026.
  periodCase('2025-08-31', 6, 'months', 'BUND', SHIFT, '2026-03-02'),
  // 15 Jan 2025 + 1 month → Sat 15 Feb; §193 → Mon 17 Feb 2025.
  periodCase('2025-01-15', 1, 'months', 'BUND', SHIFT, '2025-02-17'),
  // 15 Oct 2025 + 3 months → Thu 15 Jan 2026, a plain working day.
  periodCase('2025-10-15', 3, 'months', 'BUND', SHIFT, '2026-01-15'),

  // ── Weeks, §188(2) ─────────────────────────────────────────────────────────────────────
  // Tue 6 May 2025 + 2 weeks → Tue 20 May 2025.
  periodCase('2025-05-06', 2, 'weeks', 'BUND', SHIFT, '2025-05-20'),
  // Tue 23 Dec 2025 + 1 week → Tue 30 Dec 2025 (not a holiday).
  periodCase('2025-12-23', 1, 'weeks', 'BUND', SHIFT, '2025-12-30'),
  // Thu 18 Dec 2025 + 1 week → Thu 25 Dec (1. Weihnachtstag); §193 → 26 Dec holiday,
  // 27 Sat, 28 Sun → Mon 29 Dec 2025.
  periodCase('2025-12-18', 1, 'weeks', 'BUND', SHIFT, '2025-12-29'),
  // Mon 14 Apr 2025 + 1 week → Mon 21 Apr (Ostermontag); §193 → Tue 22 Apr 2025.
  periodCase('2025-04-14', 1, 'weeks', 'BUND', SHIFT, '2025-04-22'),
  // Same without §193: the holiday itself is the last day.
  periodCase('2025-04-14', 1, 'weeks', 'BUND', NO_SHIFT, '2025-04-21'),

  // ── Calendar days, §188(1), incl. year ends and leap days ──────────────────────────────
  // 17 Dec 2025 + 14 → Wed 31 Dec 2025; Silvester is not a public holiday.
  periodCase('2025-12-17', 14, 'calendar-days', 'BUND', SHIFT, '2025-12-31'),
  // 10 Dec 2025 + 14 → Wed 24 Dec 2025; Heiligabend is not a public holiday.
  periodCase('2025-12-10', 14, 'calendar-days', 'BUND', SHIFT, '2025-12-24'),
  // 18 Dec 2025 + 14 → Thu 1 Jan 2026 (Neujahr); §193 → Fri 2 Jan 2026.
  periodCase('2025-12-18', 14, 'calendar-days', 'BUND', SHIFT, '2026-01-02'),
  // 20 Dec 2025 + 14 → Sat 3 Jan 2026; no shift wanted.
  periodCase('2025-12-20', 14, 'calendar-days', 'BUND', NO_SHIFT, '2026-01-03'),
  // 31 Dec 2023 + 60: 31 days of January + 29 of February → Thu 29 Feb 2024.
  periodCase('2023-12-31', 60, 'calendar-days', 'BUND', SHIFT, '2024-02-29'),
  // 31 Dec 2024 + 60: 31 (Jan) + 28 (Feb) = 59 → day 60 is Sat 1 Mar 2025; §193 → Mon 3 Mar.
  periodCase('2024-12-31', 60, 'calendar-days', 'BUND', SHIFT, '2025-03-03'),
  // Sat 27 Feb 2100 + 2: Sun 28 Feb, then (no 29 Feb in 2100) Mon 1 Mar 2100.
  periodCase('2100-02-27', 2, 'calendar-days', 'BUND', SHIFT, '2100-03-01'),
  // 14 Nov 2025 + 30: 16 days to 30 Nov, 14 more → Sun 14 Dec; §193 → Mon 15 Dec 2025.
  periodCase('2025-11-14', 30, 'calendar-days', 'BUND', SHIFT, '2025-12-15'),

  // ── §193 on Saturday, Sunday, holiday; and switched off ─────────────────────────────────
  // Sat 3 May 2025 + 7 → Sat 10 May; §193 → Mon 12 May.
  periodCase('2025-05-03', 7, 'calendar-days', 'BUND', SHIFT, '2025-05-12'),
  periodCase('2025-05-03', 7, 'calendar-days', 'BUND', NO_SHIFT, '2025-05-10'),
  // Sun 4 May 2025 + 7 → Sun 11 May; §193 → Mon 12 May.
  periodCase('2025-05-04', 7, 'calendar-days', 'BUND', SHIFT, '2025-05-12'),
  periodCase('2025-05-04', 7, 'calendar-days', 'BUND', NO_SHIFT, '2025-05-11'),
  // Thu 24 Apr 2025 + 7 → Thu 1 May (Tag der Arbeit); §193 → Fri 2 May.
  periodCase('2025-04-24', 7, 'calendar-days', 'BUND', SHIFT, '2025-05-02'),
  periodCase('2025-04-24', 7, 'calendar-days', 'BUND', NO_SHIFT, '2025-05-01'),
  // Fri 26 Sep 2025 + 1 week → Fri 3 Oct (Deutsche Einheit); §193 → 4 Sat, 5 Sun → Mon 6 Oct.
  periodCase('2025-09-26', 1, 'weeks', 'BUND', SHIFT, '2025-10-06'),

  // ── Werktage (Mon–Sat) vs business days (Mon–Fri) ───────────────────────────────────────
  // Mon 12 May 2025 + 6 Werktage: Tue 13, Wed 14, Thu 15, Fri 16, Sat 17, (Sun) Mon 19.
  periodCase('2025-05-12', 6, 'werktage', 'BUND', SHIFT, '2025-05-19'),
  // Mon 12 May 2025 + 6 business days: Tue 13 … Fri 16 (4), (Sat, Sun) Mon 19, Tue 20.
  periodCase('2025-05-12', 6, 'business-days', 'BUND', SHIFT, '2025-05-20'),
  // Mon 12 May 2025 + 5 Werktage: Tue 13 … Sat 17 is the 5th Werktag.
  periodCase('2025-05-12', 5, 'werktage', 'BUND', NO_SHIFT, '2025-05-17'),
  // Same with §193: a Saturday last day moves to Mon 19 May.
  periodCase('2025-05-12', 5, 'werktage', 'BUND', SHIFT, '2025-05-19'),
  // Mon 15 Dec 2025 + 16 Werktage (BUND): 16,17,18,19,20(Sat),22,23,24, [25,26 holidays],
  // 27(Sat),29,30,31, [1 Jan], 2,3(Sat),5,6 → Tue 6 Jan 2026.
  periodCase('2025-12-15', 16, 'werktage', 'BUND', SHIFT, '2026-01-06'),
  // Same in BY: 6 Jan (Heilige Drei Könige) does not count → Wed 7 Jan 2026.
  periodCase('2025-12-15', 16, 'werktage', 'BY', SHIFT, '2026-01-07'),
  // Fri 19 Dec 2025 + 5 business days: Mon 22, Tue 23, Wed 24, [25, 26, weekend], Mon 29, Tue 30.
  periodCase('2025-12-19', 5, 'business-days', 'BUND', SHIFT, '2025-12-30'),

  // ── Heilige Drei Könige (BW, BY, ST) ────────────────────────────────────────────────────
  // 22 Dec 2025 + 15 → Tue 6 Jan 2026; in BY a holiday → Wed 7 Jan.
  periodCase('2025-12-22', 15, 'calendar-days', 'BY', SHIFT, '2026-01-07'),
  // Same in ST → Wed 7 Jan.
  periodCase('2025-12-22', 15, 'calendar-days', 'ST', SHIFT, '2026-01-07'),
  // Same in BE: an ordinary Tuesday → Tue 6 Jan.
  periodCase('2025-12-22', 15, 'calendar-days', 'BE', SHIFT, '2026-01-06'),

  // ── Easter-based holidays ──────────────────────────────────────────────────────────────
  // Easter 2025 is 20 Apr. Tue 15 Apr + 3 → Fri 18 Apr (Karfreitag); §193 → Sat, Sun,
  // Mon 21 (Ostermontag) → Tue 22 Apr.
  periodCase('2025-04-15', 3, 'calendar-days', 'BUND', SHIFT, '2025-04-22'),
  periodCase('2025-04-15', 3, 'calendar-days', 'BUND', NO_SHIFT, '2025-04-18'),
  // Wed 16 Apr 2025 + 2 business days: Thu 17, [Fri 18 … Mon 21], Tue 22.
  periodCase('2025-04-16', 2, 'business-days', 'BUND', SHIFT, '2025-04-22'),
  // Easter 2024 is 31 Mar. Thu 28 Mar 2024 + 1 business day: Fri 29 Karfreitag, weekend,
  // Mon 1 Apr Ostermontag → Tue 2 Apr 2024.
  periodCase('2024-03-28', 1, 'business-days', 'BUND', SHIFT, '2024-04-02'),
  // Easter 2028 is 16 Apr. Fri 7 Apr + 1 week → Fri 14 Apr (Karfreitag); §193 → Tue 18 Apr.
  periodCase('2028-04-07', 1, 'weeks', 'BUND', SHIFT, '2028-04-18'),
  // Christi Himmelfahrt 2025 = Easter + 39 = Thu 29 May. Thu 22 May + 1 week → Fri 30 May.
  periodCase('2025-05-22', 1, 'weeks', 'BUND', SHIFT, '2025-05-30'),
  // Pfingstmontag 2025 = Easter + 50 = Mon 9 Jun. Mon 2 Jun + 1 week → Tue 10 Jun.
  periodCase('2025-06-02', 1, 'weeks', 'BUND', SHIFT, '2025-06-10'),
  // Fronleichnam 2025 = Easter + 60 = Thu 19 Jun. Thu 12 Jun + 7 → 19 Jun; BY → Fri 20 Jun.
  periodCase('2025-06-12', 7, 'calendar-days', 'BY', SHIFT, '2025-06-20'),
  // Same in NW → Fri 20 Jun.
  periodCase('2025-06-12', 7, 'calendar-days', 'NW', SHIFT, '2025-06-20'),
  // Same in BE: Fronleichnam is no holiday there → Thu 19 Jun.
  periodCase('2025-06-12', 7, 'calendar-days', 'BE', SHIFT, '2025-06-19'),
  // Mon 16 Jun 2025 + 4 Werktage in BY: Tue 17, Wed 18, [Thu 19 Fronleichnam], Fri 20,
  // Sat 21; §193 → Mon 23 Jun.
  periodCase('2025-06-16', 4, 'werktage', 'BY', SHIFT, '2025-06-23'),
  // Same in BE: Tue 17, Wed 18, Thu 19, Fri 20.
  periodCase('2025-06-16', 4, 'werktage', 'BE', SHIFT, '2025-06-20'),

  // ── State-only holidays ────────────────────────────────────────────────────────────────
  // Fri 17 Oct 2025 + 14 → Fri 31 Oct (Reformationstag). SN: §193 → Sat, Sun → Mon 3 Nov.
  periodCase('2025-10-17', 14, 'calendar-days', 'SN', SHIFT, '2025-11-03'),
  // Same in HH (Reformationstag since 2018) → Mon 3 Nov.
  periodCase('2025-10-17', 14, 'calendar-days', 'HH', SHIFT, '2025-11-03'),
  // Same in BB → Mon 3 Nov.
  periodCase('2025-10-17', 14, 'calendar-days', 'BB', SHIFT, '2025-11-03'),
  // Same in BY: 31 Oct is a working day there → Fri 31 Oct.
  periodCase('2025-10-17', 14, 'calendar-days', 'BY', SHIFT, '2025-10-31'),
  // Thu 30 Oct 2025 + 2 Werktage in BY: Fri 31 (1), [Sat 1 Nov Allerheiligen, Sun], Mon 3 Nov.
  periodCase('2025-10-30', 2, 'werktage', 'BY', NO_SHIFT, '2025-11-03'),
  // Same in BE: Fri 31 (1), Sat 1 Nov (2) counts as a Werktag there.
  periodCase('2025-10-30', 2, 'werktage', 'BE', NO_SHIFT, '2025-11-01'),
  // Fri 25 Oct 2024 + 1 week → Fri 1 Nov 2024 (Allerheiligen in NW) → Mon 4 Nov.
  periodCase('2024-10-25', 1, 'weeks', 'NW', SHIFT, '2024-11-04'),
  // Same in BE → Fri 1 Nov 2024.
  periodCase('2024-10-25', 1, 'weeks', 'BE', SHIFT, '2024-11-01'),
  // Buß- und Bettag 2025 = Wed 19 Nov (Wednesday before 23 Nov). Wed 12 Nov + 1 week:
  // SN → Thu 20 Nov.
  periodCase('2025-11-12', 1, 'weeks', 'SN', SHIFT, '2025-11-20'),
  // Same in BY → Wed 19 Nov.
  periodCase('2025-11-12', 1, 'weeks', 'BY', SHIFT, '2025-11-19'),
  // Frauentag 8 Mar 2024 is a Friday. Fri 1 Mar + 1 week: BE → Sat, Sun → Mon 11 Mar 2024.
  periodCase('2024-03-01', 1, 'weeks', 'BE', SHIFT, '2024-03-11'),
  // Same in MV (Frauentag since 2023) → Mon 11 Mar 2024.
  periodCase('2024-03-01', 1, 'weeks', 'MV', SHIFT, '2024-03-11'),
  // Same in BY → Fri 8 Mar 2024.
  periodCase('2024-03-01', 1, 'weeks', 'BY', SHIFT, '2024-03-08'),
  // Fri 7 Mar 2025 + 1 Werktag: Sat 8 Mar is Frauentag in BE, so the Werktag is Mon 10 Mar.
  periodCase('2025-03-07', 1, 'werktage', 'BE', NO_SHIFT, '2025-03-10'),
  // Same nationwide: Sat 8 Mar is a Werktag.
  periodCase('2025-03-07', 1, 'werktage', 'BUND', NO_SHIFT, '2025-03-08'),
  // Weltkindertag 20 Sep 2024 is a Friday. Fri 13 Sep + 7: TH → Mon 23 Sep 2024.
  periodCase('2024-09-13', 7, 'calendar-days', 'TH', SHIFT, '2024-09-23'),
  // Same in SN → Fri 20 Sep 2024.
  periodCase('2024-09-13', 7, 'calendar-days', 'SN', SHIFT, '2024-09-20'),
  // Fri 19 Sep 2025 + 1 Werktag: Sat 20 Sep is Weltkindertag in TH → Mon 22 Sep.
  periodCase('2025-09-19', 1, 'werktage', 'TH', NO_SHIFT, '2025-09-22'),
  // Berlin's one-off holiday Thu 8 May 2025 (80 years since the end of WWII). Thu 1 May + 1
  // week: BE → Fri 9 May.
  periodCase('2025-05-01', 1, 'weeks', 'BE', SHIFT, '2025-05-09'),
  // Same in BB → Thu 8 May.
  periodCase('2025-05-01', 1, 'weeks', 'BB', SHIFT, '2025-05-08'),
];

describe('addPeriod (BGB §§187(1), 188, 193)', () => {
  it('has at least 35 hand-computed cases', () => {
    expect(addPeriodCases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(addPeriodCases)(
    '$trigger + $amount $unit in $region (§193: $shift) → $expected',
    ({ trigger, amount, unit, region, shift, expected }) => {
      expect(addPeriod(trigger, { amount, unit }, { holidayRegion: region, shiftToNextWorkingDay: shift })).toBe(
        expected,
      );
    },
  );

  it('rejects amounts below 1 or fractional amounts', () => {
    const rules = { holidayRegion: 'BUND', shiftToNextWorkingDay: true } as const;
    expect(() => addPeriod('2025-01-01', { amount: 0, unit: 'calendar-days' }, rules)).toThrow(RangeError);
    expect(() => addPeriod('2025-01-01', { amount: 1.5, unit: 'weeks' }, rules)).toThrow(RangeError);
  });
});

describe('earliestEffectiveDate and objectionDeadline', () => {
  const berlin = { holidayRegion: 'BE', shiftToNextWorkingDay: true } as const;

  it.each([
    // Announced Mon 3 Mar 2025 + 30 days: 28 days to 31 Mar, 2 more → Wed 2 Apr is the last
    // day of notice; the change may apply from Thu 3 Apr.
    { announcedOn: '2025-03-03', amount: 30, unit: 'calendar-days', shift: true, expected: '2025-04-03' },
    // Fri 28 Nov 2025 + 4 weeks → Fri 26 Dec (holiday); §193 → Mon 29 Dec; effective Tue 30 Dec.
    { announcedOn: '2025-11-28', amount: 4, unit: 'weeks', shift: true, expected: '2025-12-30' },
    // Same without §193: last day Fri 26 Dec; effective Sat 27 Dec.
    { announcedOn: '2025-11-28', amount: 4, unit: 'weeks', shift: false, expected: '2025-12-27' },
    // 31 Jan 2024 + 1 month → Thu 29 Feb 2024 (§188(3)); effective Fri 1 Mar 2024.
    { announcedOn: '2024-01-31', amount: 1, unit: 'months', shift: true, expected: '2024-03-01' },
  ] as const)(
    'change announced $announcedOn with $amount $unit notice applies from $expected',
    ({ announcedOn, amount, unit, shift, expected }) => {
      expect(
        earliestEffectiveDate(announcedOn, { amount, unit }, { holidayRegion: 'BE', shiftToNextWorkingDay: shift }),
      ).toBe(expected);
    },
  );

  it('objection deadline is the last day of the period counted from receipt', () => {
    // Mon 15 Dec 2025 + 14 Werktage: 16,17,18,19,20(Sat),22,23,24,[25,26],27(Sat),29,30,31,
    // [1 Jan],2,3(Sat) → Sat 3 Jan 2026; §193 → Mon 5 Jan 2026.
    expect(objectionDeadline('2025-12-15', { amount: 14, unit: 'werktage' }, berlin)).toBe('2026-01-05');
    // Thu 12 Jun 2025 + 7 days in BY → Fronleichnam Thu 19 Jun → Fri 20 Jun.
    expect(
      objectionDeadline('2025-06-12', { amount: 7, unit: 'calendar-days' }, {
        holidayRegion: 'BY',
        shiftToNextWorkingDay: true,
      }),
    ).toBe('2025-06-20');
  });
});

describe('isPublicHoliday', () => {
  it.each([
    // Christmas and New Year: 24.12. and 31.12. are ordinary days, 25./26.12. and 1.1. are not.
    ['2025-12-24', 'BUND', false],
    ['2025-12-31', 'BUND', false],
    ['2025-12-25', 'BUND', true],
    ['2025-12-26', 'BE', true],
    ['2026-01-01', 'BUND', true],
    // Heilige Drei Könige in BW, not in BE.
    ['2025-01-06', 'BW', true],
    ['2025-01-06', 'BE', false],
    // Fronleichnam 2025 (19 Jun) in HE, RP, SL; not in SN or nationwide.
    ['2025-06-19', 'HE', true],
    ['2025-06-19', 'RP', true],
    ['2025-06-19', 'SL', true],
    ['2025-06-19', 'SN', false],
    ['2025-06-19', 'BUND', false],
    // Buß- und Bettag 2025 (Wed 19 Nov) only in SN.
    ['2025-11-19', 'SN', true],
    ['2025-11-19', 'BY', false],
    // Frauentag: BE since 2019, MV since 2023.
    ['2025-03-08', 'BE', true],
    ['2025-03-08', 'MV', true],
    ['2022-03-08', 'MV', false],
    // Weltkindertag only in TH.
    ['2025-09-20', 'TH', true],
    ['2025-09-20', 'BUND', false],
    // Mariä Himmelfahrt in SL, not in BE.
    ['2025-08-15', 'SL', true],
    ['2025-08-15', 'BE', false],
    // Ostersonntag is a Sunday, not a listed holiday in BE.
    ['2025-04-20', 'BE', false],
    // Berlin's one-off 8 May 2025, not repeated in 2026.
    ['2025-05-08', 'BE', true],
    ['2026-05-08', 'BE', false],
    // Reformationstag: 500th anniversary made 2017 a holiday everywhere, afterwards not in BY.
    ['2017-10-31', 'BY', true],
    ['2025-10-31', 'BY', false],
    ['2025-10-31', 'HH', true],
  ] as const)('%s in %s → %s', (date, region, expected) => {
    expect(isPublicHoliday(date, region)).toBe(expected);
  });
});

describe('independence from the process time zone', () => {
  const originalTimeZone = process.env.TZ;
  const nationwide = { holidayRegion: 'BUND', shiftToNextWorkingDay: true } as const;
  const nationwideNoShift = { holidayRegion: 'BUND', shiftToNextWorkingDay: false } as const;
  afterEach(() => {
    if (originalTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalTimeZone;
  });

  // Each case uses a year no other test touches, so no cached holiday set hides a bug.
  it('holds in Pacific/Auckland (UTC+13 in December)', () => {
    process.env.TZ = 'Pacific/Auckland';
    // Make sure the switch took effect, or this test would prove nothing.
    expect(new Date(Date.UTC(2029, 11, 1, 12)).getTimezoneOffset()).toBe(-780);
    expect(isPublicHoliday('2029-12-24', 'BUND')).toBe(false);
    expect(isPublicHoliday('2029-12-25', 'BUND')).toBe(true);
    // Mon 17 Dec 2029 + 7 → Mon 24 Dec, a working day.
    expect(addPeriod('2029-12-17', { amount: 7, unit: 'calendar-days' }, nationwide)).toBe('2029-12-24');
    // Tue 18 Dec 2029 + 7 → Tue 25 Dec; §193 → Wed 26 Dec holiday → Thu 27 Dec.
    expect(addPeriod('2029-12-18', { amount: 7, unit: 'calendar-days' }, nationwide)).toBe('2029-12-27');
  });

  it('holds in Pacific/Kiritimati (UTC+14)', () => {
    process.env.TZ = 'Pacific/Kiritimati';
    expect(new Date(Date.UTC(2027, 11, 1, 12)).getTimezoneOffset()).toBe(-840);
    // Thu 23 Dec 2027 + 2 Werktage: Fri 24 (1), [Sat 25, Sun 26 are holidays/Sunday], Mon 27 (2).
    expect(addPeriod('2027-12-23', { amount: 2, unit: 'werktage' }, nationwideNoShift)).toBe('2027-12-27');
    expect(isoWeekdayOf('2027-12-25')).toBe(6);
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
  });
});

describe('berlinDateOf', () => {
  it.each([
    // Winter (CET, UTC+1): Berlin midnight is 23:00 UTC the day before.
    ['2025-01-31T22:59:59Z', '2025-01-31'],
    ['2025-01-31T23:00:00Z', '2025-02-01'],
    ['2025-01-31T23:30:00Z', '2025-02-01'],
    // Summer (CEST, UTC+2): Berlin midnight is 22:00 UTC the day before.
    ['2025-07-14T21:59:59Z', '2025-07-14'],
    ['2025-07-14T22:00:00Z', '2025-07-15'],
    ['2025-07-14T23:00:00Z', '2025-07-15'],
    // Year end in winter: 23:30 UTC on 31 Dec is 00:30 on 1 Jan in Berlin.
    ['2025-12-31T23:30:00Z', '2026-01-01'],
    // An explicit offset is honoured: 00:30 in New York on 1 Jan is 06:30 in Berlin.
    ['2026-01-01T00:30:00-05:00', '2026-01-01'],
  ])('%s is %s in Berlin', (instant, expected) => {
    expect(berlinDateOf(instant)).toBe(expected);
    expect(berlinDateOf(new Date(instant))).toBe(expected);
  });

  it('rejects an invalid instant', () => {
    expect(() => berlinDateOf('not a date')).toThrow(RangeError);
    expect(() => berlinDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('malformed calendar dates', () => {
  const rules = { holidayRegion: 'BUND', shiftToNextWorkingDay: true } as const;

  it.each([
    '2025-02-30', // February never has 30 days
    '2025-2-3', // month and day must have two digits
    '2025-13-01', // no 13th month
    '2025-00-10', // no month 0
    '2023-02-29', // 2023 is not a leap year
    '2100-02-29', // 2100 is not a leap year (century not divisible by 400)
    '20250101', // basic ISO format is not accepted
    '',
    '2025-01-01T00:00:00Z', // an instant, not a calendar date
    ' 2025-01-01', // no surrounding whitespace
  ])(
    '%j throws a RangeError',
    (text) => {
      expect(() => parseCalendarDate(text)).toThrow(RangeError);
      expect(() => addPeriod(text, { amount: 1, unit: 'calendar-days' }, rules)).toThrow(RangeError);
      expect(() => objectionDeadline(text, { amount: 1, unit: 'werktage' }, rules)).toThrow(RangeError);
      expect(() => isPublicHoliday(text, 'BUND')).toThrow(RangeError);
    },
  );

  it('accepts leap days of leap years, including 2000 (divisible by 400)', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCalendarDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
  });
});
