import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { utf8 } from './encoding.ts';
import { leafHash, type Hash } from './merkle.ts';
import type { LogRecord } from './log-record.ts';
import { ACCEPTANCE_RECORD_FORMAT } from './record-formats.ts';
import { sha256Hex } from './sha256.ts';

/**
 * What a customer submits on the accept page (form or JSON), and the evidence record the
 * Worker stores from it. The record's canonical JSON (RFC 8785) is the leaf data of the
 * acceptance log: anyone holding a receipt can recompute its leaf hash.
 */

/** Characters below U+0020 and DEL/C1 controls; never valid in names a person types. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function required(input: unknown): string | undefined {
  return input === undefined || input === '' ? 'required' : undefined;
}

/** A typed text: NFC, trimmed, between `min` and `max` characters, one line unless `multiline`. */
function text(min: number, max: number, { multiline = false } = {}) {
  return z
    .string({ error: (issue) => required(issue.input) ?? 'expected text' })
    .transform((value) => value.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(min, { error: min === 1 ? 'required' : `at least ${min} characters` })
        .max(max, { error: `at most ${max} characters` })
        .refine((value) => !(multiline ? CONTROL_EXCEPT_NEWLINE : CONTROL).test(value), { error: 'contains control characters' }),
    );
}

/** An empty form field means "not given". */
const emptyAsAbsent = (value: unknown) => (value === '' || value === null ? undefined : value);

/** Field limits, also shown to users by the accept form (maxlength). */
export const ACCEPTANCE_FIELD_LIMITS = {
  companyName: 200,
  companyAddress: 500,
  signerName: 200,
  signerRole: 120,
  signerEmail: 254,
  accountId: 100,
  idempotencyKey: 200,
} as const;

/**
 * The submitted acceptance. Field names are the same in the form and in JSON; unknown fields
 * (a submit button's name, say) are ignored.
 */
export const AcceptanceSubmissionSchema = z.object({
  /** AVV version shown on the page the user accepted. Example: "2.0". */
  avvVersion: text(1, 64),
  /** SHA-256 of the accepted document as shown on the page (hex). */
  documentSha256: z
    .string({ error: (issue) => required(issue.input) ?? 'expected text' })
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, { error: 'expected 64 hex digits (SHA-256)' }),
  /** Version of the authorisation wording next to the checkbox. Example: "1". */
  wordingVersion: text(1, 64),
  /** Legal name of the customer company. Example: "Beispiel Handels GmbH". */
  companyName: text(2, ACCEPTANCE_FIELD_LIMITS.companyName),
  /** Postal address of the company, several lines allowed. */
  companyAddress: text(5, ACCEPTANCE_FIELD_LIMITS.companyAddress, { multiline: true }),
  /** Full name of the person accepting. */
  signerName: text(2, ACCEPTANCE_FIELD_LIMITS.signerName),
  /** Their role or position. Example: "Geschäftsführerin". */
  signerRole: text(2, ACCEPTANCE_FIELD_LIMITS.signerRole),
  /** Their email address; receipts and re-acceptance requests go there. */
  signerEmail: z
    .string({ error: (issue) => required(issue.input) ?? 'expected text' })
    .trim()
    .max(ACCEPTANCE_FIELD_LIMITS.signerEmail, { error: `at most ${ACCEPTANCE_FIELD_LIMITS.signerEmail} characters` })
    .pipe(z.email({ error: (issue) => required(issue.input) ?? 'expected an email address such as name@example.com' })),
  /** The customer's account id with the vendor, when known; lets the vendor look up status. */
  accountId: z.preprocess(
    emptyAsAbsent,
    z
      .string({ error: 'expected text' })
      .trim()
      .min(1, { error: 'required' })
      .max(ACCEPTANCE_FIELD_LIMITS.accountId, { error: `at most ${ACCEPTANCE_FIELD_LIMITS.accountId} characters` })
      .regex(/^[\x21-\x7e]+$/, { error: 'letters, digits and punctuation only, no spaces' })
      .optional(),
  ),
  /** The checkbox: "on" from a form, true from JSON. */
  authorised: z.union([z.literal(true), z.literal('on'), z.literal('true')], {
    error: 'please confirm that you are authorised to represent the company',
  }),
  /** Language the page was shown in; the receipt page uses it too. */
  lang: z.preprocess(emptyAsAbsent, z.enum(['de', 'en'], { error: 'expected "de" or "en"' }).default('de')),
  /** Client-chosen key that makes a retried submission return the first receipt. */
  idempotencyKey: z.preprocess(
    emptyAsAbsent,
    z
      .string({ error: 'expected text' })
      .min(8, { error: 'at least 8 characters' })
      .max(ACCEPTANCE_FIELD_LIMITS.idempotencyKey, { error: `at most ${ACCEPTANCE_FIELD_LIMITS.idempotencyKey} characters` })
      .regex(/^[\x21-\x7e]+$/, { error: 'visible ASCII characters only' })
      .optional(),
  ),
});
export type AcceptanceSubmission = z.output<typeof AcceptanceSubmissionSchema>;

/** One invalid field, named as in the form. */
export interface FieldError {
  field: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '(body)';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return errors;
}

export const RECORD_FORMAT = ACCEPTANCE_RECORD_FORMAT;

/**
 * The stored evidence: one row of `acceptances`, and (as canonical JSON) one leaf of the log.
 * Every member is a column; nothing is derived, so an auditor recomputes the leaf from the row.
 */
export const AcceptanceRecordSchema = z.strictObject({
  /** Format marker, so a verifier knows how to read the rest. */
  format: z.literal(RECORD_FORMAT),
  /** Random UUID, the record's public id. */
  recordId: z.uuid(),
  /** When the Worker stored it, UTC, ISO 8601 with milliseconds. Example: "2026-11-23T09:15:02.123Z". */
  acceptedAt: z.iso.datetime(),
  /** Accepted AVV version. */
  avvVersion: z.string(),
  /** SHA-256 of the accepted document (AVV + TOMs + subprocessors), as in the manifest. */
  documentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Version of the authorisation wording confirmed. */
  wordingVersion: z.string(),
  /** SHA-256 of the canonical wording text confirmed. */
  wordingSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Language the pages were shown in. */
  lang: z.enum(['de', 'en']),
  companyName: z.string(),
  companyAddress: z.string(),
  signerName: z.string(),
  signerRole: z.string(),
  signerEmail: z.string(),
  /** Customer account id, or null when not given. */
  accountId: z.string().nullable(),
  /** Client IP as Cloudflare saw it (CF-Connecting-IP), or null when unknown. */
  ipAddress: z.string().nullable(),
  /** User-Agent header, cut to 512 characters, or null. */
  userAgent: z.string().nullable(),
  /** The idempotency key the submission was stored under (client key or derived). */
  idempotencyKey: z.string(),
});
export type AcceptanceRecord = z.output<typeof AcceptanceRecordSchema>;

/** The leaf data: RFC 8785 canonical JSON of the record (of either type of the log). */
export function canonicalRecord(record: LogRecord): string {
  return canonicalJson(record);
}

export function recordLeafHash(record: LogRecord): Promise<Hash> {
  return leafHash(utf8(canonicalRecord(record)));
}

/**
 * Fingerprint of what was submitted (not who or when): two submissions with the same
 * fingerprint are the same acceptance. Emails compare case-insensitively.
 */
export function submissionFingerprint(submission: AcceptanceSubmission): Promise<string> {
  const { idempotencyKey: _key, authorised: _authorised, ...fields } = submission;
  return sha256Hex(canonicalJson({ ...fields, signerEmail: fields.signerEmail.toLowerCase(), accountId: fields.accountId ?? null }));
}
