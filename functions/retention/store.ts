import { z } from 'zod';
import { isCalendarDate } from '../../src/domain/calendar-date.ts';
import { RECORD_FORMAT } from '../../src/domain/acceptance-record.ts';
import { declarationFromRow, DeclarationRowSchema, DECLARATION_RECORD_COLUMNS } from '../../src/domain/declaration-rows.ts';
import { AcceptanceRowSchema, recordFromRow, RECORD_COLUMNS } from '../../src/domain/ledger-rows.ts';
import { personalFields, redactedRecord, type LedgerRecordFormat, type RedactionStatement } from '../../src/domain/ledger-redaction.ts';
import type { LogRecord } from '../../src/domain/log-record.ts';
import { DECLARATION_RECORD_FORMAT } from '../../src/domain/record-formats.ts';

/**
 * The SQL of retention (migrations 0014, 0015): the AVV ends an admin records, and the redaction
 * of log records (acceptances, declarations) whose period is over. Every row read is parsed.
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

/** The AVV end that covers a row the redaction job reads. */
const AVV_END_ID = { avv_end_id: z.number() };

/** The log's common columns of a row, with the record parsed from it, as the redaction reads it. */
function redactable(
  row: { leaf_index: number; record_json: string; leaf_hash: string; receipt_json: string; avv_end_id: number },
  record: RedactableRecord['record'],
): RedactableRecord {
  return { leafIndex: row.leaf_index, record, recordJson: row.record_json, leafHash: row.leaf_hash, receiptJson: row.receipt_json, avvEndId: row.avv_end_id };
}

/**
 * A redacted record's receipt mail: the address goes; one still being retried would go to nobody
 * with no receipt, so it is given up. `narrower` limits it to the receipt among a record's mails.
 */
function giveUpReceiptMail(table: 'receipt_mails' | 'declaration_mails', narrower = ''): string {
  return `UPDATE ${table} SET recipient = '',
           last_error = CASE WHEN state IN ('retry', 'sending') THEN 'not sent: the record was redacted' ELSE last_error END,
           state = CASE WHEN state IN ('retry', 'sending') THEN 'failed' ELSE state END
         WHERE record_id = ? ${narrower}`.trimEnd();
}

/**
 * Where each record kind of the log lives (acceptances: migration 0002/0013, declarations: 0011)
 * and how its rows are read: the redaction below works from this and LEDGER_RECORD_KINDS alone.
 */
const LEDGER_TABLES: Record<LedgerRecordFormat, { table: string; madeAt: string; columns: readonly string[]; parse(raw: unknown): RedactableRecord; receiptMail: string }> = {
  [RECORD_FORMAT]: {
    table: 'acceptances',
    madeAt: 'accepted_at',
    columns: RECORD_COLUMNS,
    parse(raw) {
      const row = AcceptanceRowSchema.extend(AVV_END_ID).parse(raw);
      return redactable(row, recordFromRow(row));
    },
    receiptMail: giveUpReceiptMail('receipt_mails'),
  },
  [DECLARATION_RECORD_FORMAT]: {
    table: 'declarations',
    madeAt: 'declared_at',
    columns: DECLARATION_RECORD_COLUMNS,
    parse(raw) {
      const row = DeclarationRowSchema.extend(AVV_END_ID).parse(raw);
      return redactable(row, declarationFromRow(row));
    },
    // The vendor notice goes to the vendor's own contact, not to the customer: it stays (and
    // may still be retried); only the receipt mail is given up.
    receiptMail: giveUpReceiptMail('declaration_mails', "AND purpose = 'receipt'"),
  },
};

/** A record not redacted yet, with what the redaction statement needs. */
export interface RedactableRecord {
  leafIndex: number;
  record: LogRecord;
  recordJson: string;
  leafHash: string;
  receiptJson: string;
  /** The AVV end (avv_ends.id) that covers it. */
  avvEndId: number;
}

/** An AVV end whose period is over, and the end of its last day (later records are not covered). */
export interface DueAvvEnd {
  end: AvvEnd;
  acceptedBefore: Date;
}

/**
 * Records of one kind the due ends cover that are not redacted yet, at most `limit`, in log
 * order: each account's (or the one record's) records made before the end of the AVV's last
 * day. One query for all ends, so the number of ended AVVs does not multiply the cron's queries.
 */
export async function redactableRecords(db: D1Database, format: LedgerRecordFormat, due: readonly DueAvvEnd[], limit: number): Promise<RedactableRecord[]> {
  if (due.length === 0 || limit <= 0) return [];
  const { table, madeAt, columns, parse } = LEDGER_TABLES[format];
  const targets = due.map(({ end, acceptedBefore }) => ({ id: end.id, account: end.accountId, record: end.recordId, before: acceptedBefore.toISOString() }));
  const { results } = await db
    .prepare(
      `SELECT ${columns.map((column) => `a.${column}`).join(', ')}, a.receipt_json, a.receipt_key_sha256, json_extract(t.value, '$.id') AS avv_end_id
       FROM json_each(?1) AS t JOIN ${table} AS a
         ON (a.account_id = json_extract(t.value, '$.account') OR a.record_id = json_extract(t.value, '$.record'))
        AND a.${madeAt} < json_extract(t.value, '$.before')
       WHERE NOT EXISTS (SELECT 1 FROM ledger_redactions AS r WHERE r.leaf_index = a.leaf_index)
       ORDER BY a.leaf_index LIMIT ?2`,
    )
    .bind(JSON.stringify(targets), limit)
    .all();
  // A record two ends cover (an account's and its own) comes once, under the first.
  const seen = new Set<number>();
  return results.flatMap((raw) => {
    const target = parse(raw);
    if (seen.has(target.leafIndex)) return [];
    seen.add(target.leafIndex);
    return [target];
  });
}

/** The column of a record field (companyName: company_name). */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Redacts one record in ONE D1 batch: the signed redaction entry first (the database allows the
 * update only with it), then the record row loses its personal fields (LEDGER_RECORD_KINDS), the
 * JSON copies that hold them and the submission fingerprint; the receipt mail's evidence row
 * loses the address.
 */
export async function storeRedaction(db: D1Database, target: RedactableRecord, statement: RedactionStatement, signed: string): Promise<void> {
  const { table, receiptMail } = LEDGER_TABLES[target.record.format];
  const removed: Record<string, unknown> = redactedRecord(target.record);
  const fields = personalFields(target.record);
  await db.batch([
    db
      .prepare('INSERT INTO ledger_redactions (leaf_index, record_id, leaf_hash, redacted_at, rule, avv_end_id, statement) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(statement.leafIndex, statement.recordId, statement.leafHash, statement.redactedAt, statement.rule, target.avvEndId, signed),
    db
      .prepare(`UPDATE ${table} SET ${fields.map((field) => `${columnOf(field)} = ?`).join(', ')}, submission_sha256 = '', record_json = '', receipt_json = '' WHERE leaf_index = ? AND leaf_hash = ?`)
      .bind(...fields.map((field) => removed[field] as string | null), target.leafIndex, target.leafHash),
    db.prepare(receiptMail).bind(target.record.recordId),
  ]);
}
