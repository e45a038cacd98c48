import { z } from 'zod';

/**
 * German federal states as holiday regions (ISO 3166-2:DE suffixes), plus `BUND` for
 * nationwide holidays only. Deadlines end on the next working day at the place where the
 * declaration is due, so the region decides which holidays count.
 */
export const HolidayRegionSchema = z.enum([
  'BUND', 'BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH',
]);
export type HolidayRegion = z.output<typeof HolidayRegionSchema>;

/**
 * How a period is counted.
 * - `calendar-days`: every day counts (BGB §188(1)).
 * - `weeks`, `months`: end on the day named like the triggering day (BGB §188(2), (3)).
 * - `werktage`: Monday to Saturday, not public holidays (the statutory "Werktag").
 * - `business-days`: Monday to Friday, not public holidays.
 */
export const PeriodUnitSchema = z.enum(['calendar-days', 'weeks', 'months', 'werktage', 'business-days']);
export type PeriodUnit = z.output<typeof PeriodUnitSchema>;

/** A contractual period, e.g. `{ amount: 14, unit: werktage }` for "14 Werktage". */
export const PeriodSchema = z.strictObject({
  /** How many units, a whole number ≥ 1. Example: `30`. */
  amount: z.number().int().min(1).max(3650),
  /** The unit the amount is counted in. Example: `calendar-days`. */
  unit: PeriodUnitSchema,
});
export type Period = z.output<typeof PeriodSchema>;

/**
 * Rules that decide on which day a period ends: the deadline engine's input, resolved per period
 * by the change terms (src/domain/change-terms.ts) from what the AVV states.
 */
export const DeadlineRulesSchema = z.strictObject({
  /** Whose public holidays count as non-working days. Example: `BE` (Berlin). */
  holidayRegion: HolidayRegionSchema,
  /**
   * BGB §193: when the last day is a Saturday, Sunday or public holiday, the next working day
   * takes its place. Most AVVs follow it; a contract may exclude it.
   */
  shiftToNextWorkingDay: z.boolean(),
});
export type DeadlineRules = z.output<typeof DeadlineRulesSchema>;
