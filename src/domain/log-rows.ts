import { z } from 'zod';
import type { LedgerRecordRow } from './ledger-audit.ts';
import type { LogRecord } from './log-record.ts';

/**
 * What every record row of the acceptance log has, whatever its record type: the columns
 * `acceptances` (migration 0002, rebuilt by 0013) and `declarations` (0011) share because both
 * hold positions in the one log, and how such a row is parsed and handed to the audit. The
 * record types' own columns are in src/domain/ledger-rows.ts and src/domain/declaration-rows.ts,
 * which extend this base, so a column the log needs cannot drift between the two tables.
 */
export const text = z.string();
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const LogRowColumnsSchema = z.object({
  /** Log position (leaf index, 0-based), shared by both record types. */
  leaf_index: z.number().int(),
  /** The record's id (UUID), as in receipts and receipt URLs. */
  record_id: text,
  /**
   * Language of the form the record was made with. Not narrowed to de/en: a tampered value must
   * still be read, hashed and named `changed` by the audit rather than stop it.
   */
  lang: text,
  company_name: text,
  signer_name: text,
  signer_role: text,
  signer_email: text,
  /** Null when the client sent none, or after redaction (migration 0014). */
  ip_address: text.nullable(),
  user_agent: text.nullable(),
  /** What makes a repeated submission answer the same record instead of a second one. */
  idempotency_key: text,
  /** Canonical JSON of the record, the leaf data. */
  record_json: text,
  /** RFC 6962 leaf hash of the record (hex), as written. */
  leaf_hash: text,
  /** Not evidence, but bound to the record by the witness (swaps between records are found). */
  receipt_json: text,
});

/** The signed redaction statement a SELECT of the log joins to a redacted record (migration 0014). */
const RedactionColumnSchema = z.object({ redaction: text.nullable().optional() });

/** A row read from the log tables that is not of their shape (only a manual edit makes one). */
export class LedgerRowError extends Error {
  override name = 'LedgerRowError';
}

/** A row parsed with its schema, or the LedgerRowError naming what is malformed. */
export function parseRow<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new LedgerRowError(`${what} is malformed: ${issue.path.join('.') || 'row'}: ${issue.message}`);
}

/**
 * A parsed row of either record type as the audit reads it: the record as its columns say, the
 * stored copies it is compared with, and the redaction statement `raw` was read with, if any.
 */
export function logRecordRow(row: z.output<typeof LogRowColumnsSchema> & { receipt_key_sha256: string | null }, record: LogRecord, raw: unknown): LedgerRecordRow {
  const redaction = RedactionColumnSchema.parse(raw).redaction;
  return {
    leafIndex: row.leaf_index,
    record,
    recordJson: row.record_json,
    leafHash: row.leaf_hash,
    receiptJson: row.receipt_json,
    receiptKeySha256: row.receipt_key_sha256,
    ...(redaction ? { redaction } : {}),
  };
}
