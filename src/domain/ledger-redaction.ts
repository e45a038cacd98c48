import { z } from 'zod';
import { RETENTION_RULE_IDS, type RetentionRuleId } from '../schemas/legal.ts';
import { RECORD_FORMAT } from './acceptance-record.ts';
import type { LogRecord } from './log-record.ts';
import { DECLARATION_RECORD_FORMAT } from './record-formats.ts';
import { canonicalJson } from './canonical-json.ts';
import { openNote, signNote, type NoteKey } from './checkpoint.ts';
import { RetentionPeriodSchema } from './retention.ts';

/**
 * Redaction of evidence records in the append-only acceptance log once their retention period
 * is over (privacy notice rules "acceptance-records", "objection-records").
 *
 * A record's leaf is the hash of its canonical JSON, so deleting the record would break nothing
 * in the tree (the leaf hash, the tree nodes and the signed heads stay), but it would leave the
 * audit unable to tell a lawful deletion from tampering, and the non-personal facts (who as an
 * account, which version, when) would be unprovable. So the personal fields are removed and the
 * rest stays, and a redaction statement is signed by the log key while the record was still
 * verifiable: it names the position, record id and leaf hash, the fields kept (with their
 * values) and removed, when, why and under which rule and period. The audit then accepts the
 * redacted row because the log key vouches for it; without the key nobody can pass off an edit
 * as a redaction. Receipts customers kept still verify offline: they carry the full record, and
 * its leaf hash is still leaf i of every later tree.
 */

/**
 * Per record format: the rule that governs its retention and its personal fields with the value
 * each holds once removed ('' for required text, null where the record allows null). A new
 * record type in the log adds its entry here; everything below works from this table.
 */
export const LEDGER_RECORD_KINDS = {
  [RECORD_FORMAT]: {
    rule: 'acceptance-records',
    removedValues: { companyName: '', companyAddress: '', signerName: '', signerRole: '', signerEmail: '', ipAddress: null, userAgent: null },
  },
  [DECLARATION_RECORD_FORMAT]: {
    rule: 'objection-records',
    // The stated reason may name people too.
    removedValues: { companyName: '', signerName: '', signerRole: '', signerEmail: '', reason: null, ipAddress: null, userAgent: null },
  },
} as const satisfies Record<string, { rule: RetentionRuleId; removedValues: Record<string, '' | null> }>;
export type LedgerRecordFormat = keyof typeof LEDGER_RECORD_KINDS;

export const REDACTION_FORMAT = 'trust-center/ledger-redaction@1';

/** The AVV end an admin recorded, which started the period (migration 0014 `avv_ends`). */
export const RedactionTriggerSchema = z.strictObject({
  /** avv_ends.id. */
  id: z.number().int(),
  /** Last day of the AVV (Europe/Berlin). Example: "2026-03-31". */
  endedOn: z.string(),
  /** When and by whom it was recorded. */
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const RedactionStatementSchema = z.strictObject({
  format: z.literal(REDACTION_FORMAT),
  /** Log position of the record. */
  leafIndex: z.number().int().min(0),
  recordId: z.string(),
  /** RFC 6962 leaf hash of the record as logged (hex); it never changes. */
  leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Format of the record (which fields it has). */
  recordFormat: z.string(),
  /** The record's fields that stay, with their values: the audit holds the row against them. */
  kept: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** Names of the fields removed. */
  removed: z.array(z.string()),
  /** SHA-256 (hex) of the stored record JSON and of the receipt as they were before. */
  recordJsonSha256: z.string().regex(/^[0-9a-f]{64}$/),
  receiptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When it was redacted, UTC ISO 8601. */
  redactedAt: z.string(),
  /** The privacy notice's retention rule and the period it stated on that day. */
  rule: z.enum(RETENTION_RULE_IDS),
  period: RetentionPeriodSchema,
  /** Why, in words. Example: "AVV of account ACC-1 ended 2026-03-31; 6 years after the end of 2026 passed on 2033-01-01". */
  reason: z.string(),
  /** The recorded AVV end the period counted from. */
  trigger: RedactionTriggerSchema,
});
export type RedactionStatement = z.output<typeof RedactionStatementSchema>;

/** The fields of a record that stay after redaction. */
export function keptFields(record: LogRecord): Record<string, string | number | boolean | null> {
  const removed: Record<string, unknown> = LEDGER_RECORD_KINDS[record.format].removedValues;
  return Object.fromEntries(Object.entries(record).filter(([field]) => !(field in removed)));
}

/** Names of the personal fields of a record. */
export function personalFields(record: LogRecord): string[] {
  return Object.keys(LEDGER_RECORD_KINDS[record.format].removedValues);
}

/** The record as a redacted row holds it: each personal field at its removed value. */
export function redactedRecord<R extends LogRecord>(record: R): R {
  // Each format's removed values are valid values of its own fields (the table above).
  return { ...record, ...LEDGER_RECORD_KINDS[record.format].removedValues } as R;
}

/** The signed note: a header line naming the format, the statement's canonical JSON, a signature. */
export function signRedaction(statement: RedactionStatement, key: NoteKey & { privateKey: CryptoKey }): Promise<string> {
  return signNote(`${REDACTION_FORMAT}\n${canonicalJson(RedactionStatementSchema.parse(statement))}\n`, key);
}

/** The statement of a signed redaction note, when `key` signed it; null otherwise. */
export async function openRedaction(note: string, key: NoteKey & { publicKey: CryptoKey }): Promise<RedactionStatement | null> {
  const text = await openNote(note, key);
  if (text === null || !text.startsWith(`${REDACTION_FORMAT}\n`)) return null;
  try {
    const parsed = RedactionStatementSchema.safeParse(JSON.parse(text.slice(REDACTION_FORMAT.length + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Why a redacted row does not match its statement (null: it matches): the position, id and leaf
 * hash must be the statement's, every kept field must hold the value it had, and nothing
 * personal may be left.
 */
export function redactionMismatch(statement: RedactionStatement, row: { leafIndex: number; leafHash: string; record: LogRecord; recordJson: string; receiptJson?: string }): string | null {
  if (statement.leafIndex !== row.leafIndex || statement.recordId !== row.record.recordId) return 'the redaction statement is for another record';
  if (statement.leafHash !== row.leafHash) return 'the stored leaf hash differs from the one the redaction statement names';
  const kept = keptFields(row.record);
  const changed = Object.keys({ ...kept, ...statement.kept }).filter((field) => (kept[field] ?? null) !== (statement.kept[field] ?? null));
  if (changed.length > 0) return `changed after redaction: ${changed.join(', ')}`;
  const redacted = redactedRecord(row.record);
  const left = Object.keys(redacted).filter((field) => (redacted as Record<string, unknown>)[field] !== (row.record as Record<string, unknown>)[field]);
  const copies = [...(row.recordJson !== '' ? ['record_json'] : []), ...(row.receiptJson ? ['receipt_json'] : [])];
  if (left.length > 0 || copies.length > 0) return `personal data back in a redacted record: ${[...left, ...copies].join(', ')}`;
  return null;
}
