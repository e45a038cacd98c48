import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { NoticePolicySchema } from './notice-policy.ts';

/**
 * Frontmatter of one AVV version (`content/avv/<version>.md`). The Markdown body is the contract
 * text; `##` headings are clauses and may carry a stable anchor as `## § 3 Title {#anchor}` so
 * deep links and the redline diff survive renumbering. Every version stays published; the
 * current one is the latest whose effective date has been reached at build time.
 * Read by the AVV page, the version archive, the redline diff, the accept manifest and feeds.
 */
export const AvvVersionSchema = z.strictObject({
  /** Version id, unique, used in URLs and acceptance records. Example: "2.0". */
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.-]*$/, 'expected a version id such as "2.0" or "2026-03"'),
  /** Document title. Example: "Vertrag über die Auftragsverarbeitung (AVV)". */
  title: z.string().min(1),
  /** Day from which this version governs the processing. Example: 2026-03-01. */
  effectiveDate: CalendarDateSchema,
  /** Day this version was first published on the site. Example: 2026-02-01. */
  publishedDate: CalendarDateSchema,
  /** Language of the contract text. */
  language: z.enum(['de', 'en']).default('de'),
  /**
   * What changed against the previous version, one point per line; empty for the first.
   * Example: `["§ 7: Widerspruchsfrist auf 14 Werktage verlängert"]`.
   */
  changeSummary: z.array(z.string().min(1)).default([]),
  /** The rule for announcing subprocessor changes while this version governs. */
  noticePolicy: NoticePolicySchema,
});
export type AvvVersion = z.output<typeof AvvVersionSchema>;
