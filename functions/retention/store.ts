import { z } from 'zod';
import { isCalendarDate } from '../../src/domain/calendar-date.ts';
import { AcceptanceRowSchema, recordFromRow, RECORD_COLUMNS } from '../../src/domain/ledger-rows.ts';
import { redactedRecord, type RedactionStatement } from '../../src/domain/ledger-redaction.ts';
import type { AcceptanceRecord } from '../../src/domain/acceptance-record.ts';

/**
 * The SQL of retention (migration 0014): the AVV ends an admin records, and the redaction of
 * acceptance records whose period is over. Every row read is parsed.
 */

/** What an admin records: the AVV of an account (or of one acceptance without account id) ended. */
export const NewAvvEndSchema = z
  .strictObject({
    /** Customer account id as given on acceptance. Example: "ACC-1001". */
    accountId: z.string().trim().min(1, { error: 'required' }).max(100, { error: 'at most 100 characters' }).optional(),
    /** Record id of one acceptance given without an account id. */
    recordId: z.uuid({ error: 'expected a record id (UUID)' }).optional(),
    /** Last day of the AVV, Europe/Berlin. Example: "2026-03-31". */
    endedOn: z.string({ error: 'required' }).refine(isCalendarDate, { error: 'expected a date such as 2026-03-31' }),
    /** Who records it, for the audit trail. Example: "Jana Beispiel (Legal)". */
    recordedBy: z.string({ error: 'required' }).trim().min(2, { error: 'at least 2 characters' }).max(200, { error: 'at most 200 characters' }),
    /** Why or on what basis (termination letter of …). */
    note: z.string().trim().max(1000, { error: 'at most 1000 characters' }).optional(),
  })
  .refine((value) => (value.accountId === undefined) !== (value.recordId === undefined), { error: 'give either accountId or recordId', path: ['accountId'] });
export type NewAvvEnd = z.output<typeof NewAvvEndSchema>;

const AvvEndRow = z.object({
  id: z.number(),
  account_id: z.string().nullable(),
  record_id: z.string().nullable(),
  ended_on: z.string(),
  recorded_at: z.string(),
  recorded_by: z.string(),
  note: z.string().nullable(),
});

/** One recorded AVV end. */
export interface AvvEnd {
  id: number;
  accountId: string | null;
  recordId: string | null;
  endedOn: string;
  recordedAt: string;
  recordedBy: string;
  note: string | null;
}

function avvEndOf(raw: unknown): AvvEnd {
  const row = AvvEndRow.parse(raw);
  return { id: row.id, accountId: row.account_id, recordId: row.record_id, endedOn: row.ended_on, recordedAt: row.recorded_at, recordedBy: row.recorded_by, note: row.note };
}

const AVV_END_COLUMNS = 'id, account_id, record_id, ended_on, recorded_at, recorded_by, note';

/**
 * Records that an AVV ended (append-only: a correction is another entry; the latest counts).
 * Called by the admin API, and meant for the admin console too.
 */
export async function recordAvvEnd(db: D1Database, end: NewAvvEnd, now: Date): Promise<AvvEnd> {
  const row = await db
    .prepare(`INSERT INTO avv_ends (account_id, record_id, ended_on, recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${AVV_END_COLUMNS}`)
    .bind(end.accountId ?? null, end.recordId ?? null, end.endedOn, now.toISOString(), end.recordedBy, end.note ?? null)
    .first();
  return avvEndOf(row);
}

/** Every recorded end of an account's AVV (or of one record's), oldest first; the last one counts. */
export async function avvEndsOf(db: D1Database, subject: { accountId: string } | { recordId: string }): Promise<AvvEnd[]> {
  const [column, value] = 'accountId' in subject ? ['account_id', subject.accountId] : ['record_id', subject.recordId];
  const { results } = await db.prepare(`SELECT ${AVV_END_COLUMNS} FROM avv_ends WHERE ${column} = ? ORDER BY id`).bind(value).all();
  return results.map(avvEndOf);
}

/** The AVV end in force per subject: the latest entry of each account and of each record. */
export async function currentAvvEnds(db: D1Database): Promise<AvvEnd[]> {
  const { results } = await db
    .prepare(
      `SELECT ${AVV_END_COLUMNS} FROM avv_ends AS e WHERE e.id = (
         SELECT MAX(id) FROM avv_ends WHERE account_id IS e.account_id AND record_id IS e.record_id)
       ORDER BY id`,
    )
    .all();
  return results.map(avvEndOf);
}

/** An acceptance row as the redaction job reads it, with the AVV end that covers it. */
const RedactableRow = AcceptanceRowSchema.extend({ avv_end_id: z.number() });

/** A record not redacted yet, with what the redaction statement needs. */
export interface RedactableRecord {
  leafIndex: number;
  record: AcceptanceRecord;
  recordJson: string;
  leafHash: string;
  receiptJson: string;
  /** The AVV end (avv_ends.id) that covers it. */
  avvEndId: number;
}

/** An AVV end whose period is over, and the end of its last day (later acceptances are not covered). */
export interface DueAvvEnd {
  end: AvvEnd;
  acceptedBefore: Date;
}

/**
 * Records the due ends cover that are not redacted yet, at most `limit`, in log order: each
 * account's (or the one record's) acceptances made before the end of the AVV's last day. One
 * query for all ends, so the number of ended AVVs does not multiply the cron's queries.
 */
export async function redactableRecords(db: D1Database, due: readonly DueAvvEnd[], limit: number): Promise<RedactableRecord[]> {
  if (due.length === 0) return [];
  const targets = due.map(({ end, acceptedBefore }) => ({ id: end.id, account: end.accountId, record: end.recordId, before: acceptedBefore.toISOString() }));
  const { results } = await db
    .prepare(
      `SELECT ${RECORD_COLUMNS.map((column) => `a.${column}`).join(', ')}, a.receipt_json, a.receipt_key_sha256, json_extract(t.value, '$.id') AS avv_end_id
       FROM json_each(?1) AS t JOIN acceptances AS a
         ON (a.account_id = json_extract(t.value, '$.account') OR a.record_id = json_extract(t.value, '$.record'))
        AND a.accepted_at < json_extract(t.value, '$.before')
       WHERE NOT EXISTS (SELECT 1 FROM ledger_redactions AS r WHERE r.leaf_index = a.leaf_index)
       ORDER BY a.leaf_index LIMIT ?2`,
    )
    .bind(JSON.stringify(targets), limit)
    .all();
  // A record two ends cover (an account's and its own) comes once, under the first.
  const seen = new Set<number>();
  return results.flatMap((raw) => {
    const row = RedactableRow.parse(raw);
    if (seen.has(row.leaf_index)) return [];
    seen.add(row.leaf_index);
    return [{ leafIndex: row.leaf_index, record: recordFromRow(row), recordJson: row.record_json, leafHash: row.leaf_hash, receiptJson: row.receipt_json, avvEndId: row.avv_end_id }];
  });
}

/** The personal columns of a record row and the value each takes when redacted. */
const REDACTED_COLUMNS = ['company_name', 'company_address', 'signer_name', 'signer_role', 'signer_email', 'ip_address', 'user_agent'] as const;

/**
 * Redacts one record in ONE D1 batch: the signed redaction entry first (the database allows the
 * update only with it), then the record row loses its personal fields, the JSON copies that hold
 * them and the submission fingerprint; the receipt mail's evidence row loses the address.
 */
export async function storeRedaction(db: D1Database, target: RedactableRecord, statement: RedactionStatement, signed: string): Promise<void> {
  const removed = redactedRecord(target.record);
  const values: Record<(typeof REDACTED_COLUMNS)[number], string | null> = {
    company_name: removed.companyName,
    company_address: removed.companyAddress,
    signer_name: removed.signerName,
    signer_role: removed.signerRole,
    signer_email: removed.signerEmail,
    ip_address: removed.ipAddress,
    user_agent: removed.userAgent,
  };
  await db.batch([
    db
      .prepare('INSERT INTO ledger_redactions (leaf_index, record_id, leaf_hash, redacted_at, rule, avv_end_id, statement) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(statement.leafIndex, statement.recordId, statement.leafHash, statement.redactedAt, statement.rule, target.avvEndId, signed),
    db
      .prepare(`UPDATE acceptances SET ${REDACTED_COLUMNS.map((column) => `${column} = ?`).join(', ')}, submission_sha256 = '', record_json = '', receipt_json = '' WHERE leaf_index = ? AND leaf_hash = ?`)
      .bind(...REDACTED_COLUMNS.map((column) => values[column]), target.leafIndex, target.leafHash),
    // A mail still being retried would go to nobody with no receipt: it is given up.
    db
      .prepare(
        `UPDATE receipt_mails SET recipient = '',
           last_error = CASE WHEN state IN ('retry', 'sending') THEN 'not sent: the record was redacted' ELSE last_error END,
           state = CASE WHEN state IN ('retry', 'sending') THEN 'failed' ELSE state END
         WHERE record_id = ?`,
      )
      .bind(target.record.recordId),
  ]);
}
