import { z } from 'zod';
import { ALWAYS } from './always.ts';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';
import { CalendarDateSchema } from './calendar-date.ts';
import { ChangeRulesSchema } from './change-rules.ts';
import { noticePolicyMigration } from '../domain/content-migration.ts';
import { VersionIdSchema } from './version-id.ts';

/**
 * Frontmatter of one AVV version (`content/avv/<version>.md`). The Markdown body is the contract
 * text; `##` headings are clauses and may carry a stable anchor as `## § 3 Title {#anchor}` so
 * deep links and the redline diff survive renumbering. Every version stays published; the
 * current one is the latest whose effective date has been reached at build time.
 * Read by the AVV page, the version archive, the redline diff, the accept manifest, the change
 * pages (through the computed change terms), feeds, calendar and notices.
 */
export const AvvVersionSchema = z
  .strictObject({
    /** Version id, unique, used in URLs and acceptance records; quote it. Example: "2.0". */
    version: VersionIdSchema,
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
    /**
     * The AVV's rules for subprocessor changes while this version governs, most specific first
     * (see ChangeRuleSchema). Example:
     * ```yaml
     * changeRules:
     *   - id: drittland
     *     clause: "§ 7 Abs. 3"
     *     scope: { kinds: [add, replace], condition: third-country }
     *     right: consent
     *     noticePeriod: { wording: "vorab" }
     *     responsePeriod: not-stated
     *     form: schriftform
     *     reasonsRequired: false
     *     withdrawable: not-stated
     *     lapsesAfterPeriod: not-stated
     *     consequence: "Ohne Zustimmung unterbleibt die Übermittlung."
     * ```
     */
    changeRules: ChangeRulesSchema.optional(),
    /** Legal findings about this version the author acknowledges, with reasons. */
    acknowledgedFindings: AcknowledgedFindingsSchema,
    /** The first content format's single policy; only accepted to say how to migrate it. */
    noticePolicy: z.unknown().optional(),
  })
  .superRefine((avv, ctx) => {
    // One message for an old file, naming the old field, rather than two (old one unknown, new one missing).
    if (avv.noticePolicy !== undefined) ctx.addIssue({ code: 'custom', path: ['noticePolicy'], message: noticePolicyMigration(avv.noticePolicy) });
    else if (avv.changeRules === undefined) ctx.addIssue({ code: 'custom', path: ['changeRules'], message: 'missing: list the AVV\'s rules for subprocessor changes, or write `not-stated` if the AVV has none' });
  }, ALWAYS)
  .transform(({ noticePolicy: _migrated, changeRules, ...avv }) => ({ ...avv, changeRules: changeRules! }));
export type AvvVersion = z.output<typeof AvvVersionSchema>;
