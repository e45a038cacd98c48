import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';

/** Text of the checkbox in one language: one paragraph, no Markdown. */
const wordingText = z
  .string()
  .min(20, 'the wording is too short to say what the signer confirms')
  .max(1000, 'keep the wording to one short paragraph (at most 1000 characters)')
  .refine((text) => !/\n\s*\n/.test(text), 'one paragraph only: the checkbox label cannot hold blank lines');

/**
 * Frontmatter of one version of the authorisation wording shown next to the checkbox on the
 * accept page (`content/acceptance-wording/<version>.md`; the body is not published and may
 * note why the wording changed). Every acceptance stores the version and the SHA-256 of the
 * canonical text it confirmed, so a version, once used, must never be edited: add a new file.
 * The wording in force is the latest whose effective date has been reached at build time.
 * Read by the accept page and the manifest (`acceptanceWording`), which the Worker checks
 * submissions against.
 */
export const AcceptanceWordingSchema = z.strictObject({
  /** Version id, stored with every acceptance. Example: "1". */
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.-]*$/, 'expected a version id such as "1" or "2026-03"'),
  /** Day from which this wording is shown. Example: 2026-01-01. */
  effectiveDate: CalendarDateSchema,
  /**
   * The checkbox text. German is binding; English is shown on the English pages.
   * Example: `{ de: "Ich bin berechtigt, …", en: "I am authorised to …" }`.
   */
  text: z.strictObject({
    /** German text (binding). */
    de: wordingText,
    /** English text. */
    en: wordingText.optional(),
  }),
});
export type AcceptanceWording = z.output<typeof AcceptanceWordingSchema>;
