import { z } from 'zod';
import { FINDING_RULE_IDS } from '../domain/finding-rules.ts';

/**
 * An author's explicit, reviewed waiver of one legal finding about this file, written in the
 * file the finding is about (like a linter's inline waiver). The finding stays visible: the build
 * report lists it as acknowledged and the page concerned shows it with the reason.
 * Example:
 * ```yaml
 * acknowledgedFindings:
 *   - rule: transfer-mechanism-missing
 *     reason: Die AVV nennt für den Fernzugriff aus Indien keine Garantie; beim Anbieter angefragt am 2026-11-02.
 * ```
 */
export const AcknowledgedFindingSchema = z.strictObject({
  /** Stable id of the finding rule (see `npm run check -- --rules`). Example: "dpo-not-named". */
  rule: z.enum(FINDING_RULE_IDS, { error: () => `unknown finding rule; known rules: ${FINDING_RULE_IDS.join(', ')}` }),
  /**
   * Field the acknowledgement is limited to, as the report prints it; omit to cover every
   * finding of this rule in the file. Example: "onwardTransfers[0]".
   */
  field: z.string().min(1).optional(),
  /** Why the vendor publishes despite the gap; shown on the page. At least a sentence. */
  reason: z.string({ error: (issue) => (issue.input === undefined ? 'missing: an acknowledgement needs a reason (why the vendor publishes despite the finding)' : undefined) })
    .min(20, 'the reason must say why the vendor publishes despite the finding (at least 20 characters)'),
});
export type AcknowledgedFinding = z.output<typeof AcknowledgedFindingSchema>;

/** `acknowledgedFindings:` of a content file; empty when the author waived nothing. */
export const AcknowledgedFindingsSchema = z.array(AcknowledgedFindingSchema).default([]);
