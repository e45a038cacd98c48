import { z } from 'zod';
import { DeclarationFormSchema } from '../schemas/change-rules.ts';
import { AcceptanceSubmissionSchema } from './acceptance-record.ts';
import { canonicalJson } from './canonical-json.ts';
import { DECLARATION_KINDS } from './declaration-window.ts';
import { DECLARATION_RECORD_FORMAT } from './record-formats.ts';
import { sha256Hex } from './sha256.ts';

/**
 * What a customer submits on a change page (objection, consent, refusal, withdrawal), and the
 * evidence record the Worker stores from it. The record goes into the SAME tamper-evident log
 * as acceptances, as its own record type: its `format` says which, and its canonical JSON
 * (RFC 8785) is the leaf data, so receipts, inclusion proofs and the audit work for both.
 */

const fields = AcceptanceSubmissionSchema.shape;

/** Field limits, also shown by the change page's form (maxlength). */
export const DECLARATION_FIELD_LIMITS = { changeId: 200, reason: 4000 } as const;

/** Characters below U+0020 except newline, and DEL/C1 controls. */
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/**
 * The submitted declaration. Field names are the same in the form and in JSON; the people
 * fields are the accept form's, so one person types the same things the same way on both.
 */
export const DeclarationSubmissionSchema = z.object({
  /** What is declared; which kinds a change allows follows from its terms. */
  kind: z.enum(DECLARATION_KINDS, { error: `expected one of ${DECLARATION_KINDS.join(', ')}` }),
  /** Permanent id of the change (its file name). Example: "2026-11-ki-funktionen-sprachraum". */
  changeId: z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected the id of a published change') })
    .trim()
    .min(1, { error: 'required' })
    .max(DECLARATION_FIELD_LIMITS.changeId, { error: `at most ${DECLARATION_FIELD_LIMITS.changeId} characters` })
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected the id of a published change' }),
  /** Legal name of the customer company. */
  companyName: fields.companyName,
  /** The customer's account id with the vendor: the vendor matches the declaration to the contract by it. */
  accountId: fields.accountId.refine((value) => value !== undefined, { error: 'required' }).transform((value) => value!),
  /** Full name of the person declaring. */
  signerName: fields.signerName,
  /** Their role or position. */
  signerRole: fields.signerRole,
  /** Their email address; the receipt goes there. */
  signerEmail: fields.signerEmail,
  /**
   * The customer's reasons, in their words; required where the rule requires reasons (checked
   * against the change's terms, which the schema does not know).
   */
  reason: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z
      .string({ error: 'expected text' })
      .transform((value) => value.normalize('NFC').replace(/\r\n?/g, '\n').trim())
      .pipe(
        z
          .string()
          .max(DECLARATION_FIELD_LIMITS.reason, { error: `at most ${DECLARATION_FIELD_LIMITS.reason} characters` })
          .refine((value) => !CONTROL_EXCEPT_NEWLINE.test(value), { error: 'contains control characters' }),
      )
      .optional(),
  ),
  /** Language of the page; the receipt and its mail use it. */
  lang: fields.lang,
  /** Client-chosen key that makes a retried submission return the first receipt. */
  idempotencyKey: fields.idempotencyKey,
});
export type DeclarationSubmission = z.output<typeof DeclarationSubmissionSchema>;

export { DECLARATION_RECORD_FORMAT };

/**
 * The stored evidence of one declaration: one row of `declarations`, and (as canonical JSON)
 * one leaf of the log. Besides what the customer typed, it holds what the Worker checked it
 * against, so the record shows on its own which deadline applied and from what it was counted.
 */
export const DeclarationRecordSchema = z.strictObject({
  /** Format marker: a verifier tells the record types of the log apart by it. */
  format: z.literal(DECLARATION_RECORD_FORMAT),
  /** Random UUID, the record's public id. */
  recordId: z.uuid(),
  /** When the Worker received it (the declaration's Zugang, § 130 BGB), UTC with milliseconds. */
  declaredAt: z.iso.datetime(),
  kind: z.enum(DECLARATION_KINDS),
  /** Permanent id of the change declared on. */
  changeId: z.string(),
  /** AVV version whose rule governs the change. */
  governingAvvVersion: z.string(),
  /** Id of that rule. Example: "widerspruch". */
  ruleId: z.string(),
  /** The rule's clause, or null when the content names none. Example: "§ 7 Abs. 4". */
  clause: z.string().nullable(),
  /**
   * The form the rule demands. Under `schriftform` this online record does not replace the
   * signed letter; it is kept as evidence of what was declared here and when.
   */
  requiredForm: DeclarationFormSchema,
  /** Last day of this customer's period, or null where the AVV states no fixed period (and for withdrawals). */
  deadline: z.string().nullable(),
  /** What that deadline was counted from (see src/domain/declaration-window.ts), or null without one. */
  countedFrom: z.enum(['notice-receipt', 'announcement', 'announcement-without-receipt-evidence']).nullable(),
  /** The day it was counted from, or null without a deadline. */
  countedFromDay: z.string().nullable(),
  /**
   * Whether the declaration came within the period: true, or null where no period applies. Late
   * declarations are refused, never stored.
   */
  withinWindow: z.literal(true).nullable(),
  /** For a withdrawal: the record id of the objection or consent it takes back; else null. */
  withdraws: z.uuid().nullable(),
  lang: z.enum(['de', 'en']),
  companyName: z.string(),
  accountId: z.string(),
  signerName: z.string(),
  signerRole: z.string(),
  signerEmail: z.string(),
  /** The customer's reasons, or null when none were given. */
  reason: z.string().nullable(),
  /** Client IP as Cloudflare saw it, or null. */
  ipAddress: z.string().nullable(),
  /** User-Agent header, cut to 512 characters, or null. */
  userAgent: z.string().nullable(),
  /** The idempotency key the submission was stored under (client key or derived). */
  idempotencyKey: z.string(),
});
export type DeclarationRecord = z.output<typeof DeclarationRecordSchema>;

/**
 * Fingerprint of what was submitted (not who or when): two submissions with the same
 * fingerprint are the same declaration. Emails compare case-insensitively.
 */
export function declarationFingerprint(submission: DeclarationSubmission): Promise<string> {
  const { idempotencyKey: _key, ...rest } = submission;
  return sha256Hex(canonicalJson({ type: 'declaration', ...rest, signerEmail: rest.signerEmail.toLowerCase(), reason: rest.reason ?? null }));
}
