import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { TextSchema } from './localized-text.ts';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a subprocessor slug such as "nordlicht-cloud"');

/**
 * One announced change to the subprocessor list (`content/changes/<id>.md`; the file name is the
 * change's permanent id, used in feeds and notices). The Markdown body describes the change.
 * Read by the change log, the home page, the subprocessor pages and the manifest.
 */
export const ChangeSchema = z
  .strictObject({
    /**
     * - `add`: a new subprocessor is engaged;
     * - `replace`: `subprocessors` take over from `replaces`;
     * - `remove`: the subprocessors are no longer engaged;
     * - `update`: something material changes (location, purpose, legal entity).
     */
    kind: z.enum(['add', 'replace', 'remove', 'update']),
    /** Headline. Example: "Neuer Unterauftragsverarbeiter für den E-Mail-Versand". */
    title: TextSchema,
    /** Slugs of the subprocessors concerned. Example: `["postfix-mailer"]`. */
    subprocessors: z.array(slug).min(1),
    /** For `replace`: slugs of the subprocessors being replaced. */
    replaces: z.array(slug).optional(),
    /** Day the notice is published and sent; objection periods count from its receipt. */
    announcedDate: CalendarDateSchema,
    /** Day the change takes effect; must respect the AVV's notice period. */
    effectiveDate: CalendarDateSchema,
    /** Why the vendor makes the change (optional). Example: "Ausfallsicherheit". */
    reason: TextSchema.optional(),
  })
  .superRefine((change, ctx) => {
    if (change.kind === 'replace' && (change.replaces?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['replaces'], message: 'a replace change must name the subprocessors it replaces' });
    }
    if (change.kind !== 'replace' && change.replaces !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['replaces'], message: `replaces is only meaningful for kind "replace", not "${change.kind}"` });
    }
    if (change.effectiveDate < change.announcedDate) {
      ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: `effective date ${change.effectiveDate} is before the announcement ${change.announcedDate}` });
    }
  });
export type Change = z.output<typeof ChangeSchema>;
