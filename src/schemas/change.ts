import { z } from 'zod';
import { ALWAYS } from './always.ts';
import { CalendarDateSchema } from './calendar-date.ts';
import { TextSchema } from './localized-text.ts';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';
import { ChangeKindSchema } from './change-rules.ts';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a subprocessor slug such as "nordlicht-cloud"');

/**
 * One announced change to the subprocessor list (`content/changes/<id>.md`; the file name is the
 * change's permanent id, used in feeds and notices). The Markdown body describes the change.
 * What the customer may do about it (right, periods, form, dates) is not written here: it is
 * computed from the governing AVV's `changeRules` (src/domain/change-terms.ts), so it cannot
 * contradict the AVV. Read by the change log, the home page, the subprocessor pages, feeds,
 * calendar, notices and the manifest.
 */
export const ChangeSchema = z
  .strictObject({
    /**
     * - `add`: a new subprocessor is engaged;
     * - `replace`: `subprocessors` take over from `replaces`;
     * - `remove`: the subprocessors are no longer engaged;
     * - `update`: something material changes (location, purpose, legal entity).
     */
    kind: ChangeKindSchema,
    /** Headline. Example: "Neuer Unterauftragsverarbeiter für den E-Mail-Versand". */
    title: TextSchema,
    /** Slugs of the subprocessors concerned. Example: `["postfix-mailer"]`. */
    subprocessors: z.array(slug).min(1),
    /** For `replace`: slugs of the subprocessors being replaced. */
    replaces: z.array(slug).optional(),
    /**
     * Day the notice is published and sent. Example: 2026-11-20. Response periods count from it
     * or from each recipient's receipt, as the AVV's rule says.
     */
    announcedDate: CalendarDateSchema,
    /** Day the change takes effect; must respect the governing rule's notice period. Example: 2027-01-11. */
    effectiveDate: CalendarDateSchema,
    /** Why the vendor makes the change (optional). Example: "Ausfallsicherheit". */
    reason: TextSchema.optional(),
    /** Legal findings about this change the author acknowledges, with reasons. */
    acknowledgedFindings: AcknowledgedFindingsSchema,
  })
  .superRefine((change, ctx) => {
    const kindKnown = ChangeKindSchema.safeParse(change.kind).success;
    if (kindKnown && change.kind === 'replace' && (change.replaces?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['replaces'], message: 'a replace change must name the subprocessors it replaces' });
    }
    if (kindKnown && change.kind !== 'replace' && change.replaces !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['replaces'], message: `replaces is only meaningful for kind "replace", not "${change.kind}"` });
    }
    if (typeof change.effectiveDate === 'string' && typeof change.announcedDate === 'string' && change.effectiveDate < change.announcedDate) {
      ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: `effective date ${change.effectiveDate} is before the announcement ${change.announcedDate}` });
    }
  }, ALWAYS);
export type Change = z.output<typeof ChangeSchema>;
