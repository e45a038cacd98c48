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

/** Rules that decide on which day a period ends. */
export const DeadlineRulesSchema = z.strictObject({
  /** Whose public holidays count as non-working days. Example: `BE` (Berlin). */
  holidayRegion: HolidayRegionSchema.default('BUND'),
  /**
   * BGB §193: when the last day is a Saturday, Sunday or public holiday, the next working day
   * takes its place. Most AVVs follow it; a contract may exclude it.
   */
  shiftToNextWorkingDay: z.boolean().default(true),
});
export type DeadlineRules = z.output<typeof DeadlineRulesSchema>;

/**
 * The contractual rule for subprocessor changes under one AVV version: how far in advance the
 * vendor announces a change, and how long a customer may object after receiving the notice.
 * Either period may be absent where the AVV only says "in advance" or "without undue delay";
 * the site then shows no computed date for it.
 */
export const NoticePolicySchema = z.strictObject({
  /**
   * Minimum time between the announcement and the day the change takes effect.
   * Example: `{ amount: 30, unit: calendar-days }`. Omit when the AVV names no fixed period.
   */
  noticePeriod: PeriodSchema.optional(),
  /**
   * Time the customer has to object, counted from receipt of the notice (BGB §187(1): the day of
   * receipt itself does not count). Example: `{ amount: 14, unit: werktage }`.
   */
  objectionPeriod: PeriodSchema.optional(),
  /** Day-counting rules shared by both periods. */
  rules: DeadlineRulesSchema.default({ holidayRegion: 'BUND', shiftToNextWorkingDay: true }),
  /**
   * The contract's own words for the period where it is not a fixed number, shown instead of a
   * computed date. Example: "rechtzeitig vorab".
   */
  noticeWording: z.string().min(1).optional(),
  /**
   * What happens if the customer objects, in the AVV's words. Example: "Kommt keine Einigung
   * zustande, kann der Kunde den Hauptvertrag mit einer Frist von drei Monaten kündigen."
   */
  objectionConsequence: z.string().min(1).optional(),
});
export type NoticePolicy = z.output<typeof NoticePolicySchema>;
