import { z } from 'zod';
import { DECLARATION_RECORD_FORMAT, DeclarationRecordSchema, type DeclarationRecord } from './declaration-record.ts';
import type { LedgerRecordRow } from './ledger-audit.ts';
import { hex64, logRecordRow, LogRowColumnsSchema, parseRow, text } from './log-rows.ts';

/**
 * The `declarations` table of migration 0011 as rows, and their mapping to the domain: the
 * second record type of the acceptance log next to src/domain/ledger-rows.ts. Shared by the
 * sequencer (write path), the admin audit and `npm run ledger:verify`. The columns every log
 * record has are in src/domain/log-rows.ts.
 *
 * A row as read. Enumerated columns are read as text, not narrowed: a tampered value must still
 * be hashed and named `changed` by the audit rather than stop it (as ledger-rows.ts does).
 */
export const DeclarationRowSchema = LogRowColumnsSchema.extend({
  /** UTC, ISO 8601 with milliseconds. */
  declared_at: text,
  /** One of DECLARATION_KINDS (src/domain/declaration-window.ts), read as stored. */
  kind: text,
  change_id: text,
  governing_avv_version: text,
  rule_id: text,
  clause: text.nullable(),
  required_form: text,
  deadline: text.nullable(),
  counted_from: text.nullable(),
  counted_from_day: text.nullable(),
  /** 1 when declared within the response period, null where none applies (late ones are never stored). */
  within_window: z.number().int().nullable(),
  withdraws: text.nullable(),
  /** Declarations are made for a named account, always. */
  account_id: text,
  reason: text.nullable(),
  /** SHA-256 (hex) of the receipt capability key; the key itself is never stored. */
  receipt_key_sha256: hex64,
});
export type DeclarationRow = z.output<typeof DeclarationRowSchema>;

/** The evidence columns, in the order of DeclarationRow. */
export const DECLARATION_RECORD_COLUMNS = [
  'leaf_index', 'record_id', 'declared_at', 'kind', 'change_id', 'governing_avv_version', 'rule_id', 'clause', 'required_form',
  'deadline', 'counted_from', 'counted_from_day', 'within_window', 'withdraws', 'lang', 'company_name', 'account_id',
  'signer_name', 'signer_role', 'signer_email', 'reason', 'ip_address', 'user_agent', 'idempotency_key', 'record_json', 'leaf_hash',
] as const;

/** Every column a declaration row is written with: the evidence, then what ties a request to it. */
export const DECLARATION_INSERT_COLUMNS = [...DECLARATION_RECORD_COLUMNS, 'submission_sha256', 'receipt_key_sha256', 'receipt_json'] as const;

/** With the signed redaction statement of a redacted declaration (migrations 0014, 0015). */
export const SELECT_LEDGER_DECLARATIONS = `SELECT ${DECLARATION_RECORD_COLUMNS.map((column) => `d.${column}`).join(', ')}, d.receipt_json, d.receipt_key_sha256, r.statement AS redaction
  FROM declarations AS d LEFT JOIN ledger_redactions AS r ON r.leaf_index = d.leaf_index ORDER BY d.leaf_index`;

/**
 * The record as its columns say (not as the JSON copy says): what the audit hashes. Columns
 * that no longer fit the record's shape are kept as stored, so the recomputed leaf differs and
 * the audit names the record as changed instead of failing on it.
 */
export function declarationFromRow(row: DeclarationRow): DeclarationRecord {
  const record = {
    format: DECLARATION_RECORD_FORMAT,
    recordId: row.record_id,
    declaredAt: row.declared_at,
    kind: row.kind,
    changeId: row.change_id,
    governingAvvVersion: row.governing_avv_version,
    ruleId: row.rule_id,
    clause: row.clause,
    requiredForm: row.required_form,
    deadline: row.deadline,
    countedFrom: row.counted_from,
    countedFromDay: row.counted_from_day,
    withinWindow: row.within_window === null ? null : row.within_window === 1 ? true : row.within_window,
    withdraws: row.withdraws,
    lang: row.lang,
    companyName: row.company_name,
    accountId: row.account_id,
    signerName: row.signer_name,
    signerRole: row.signer_role,
    signerEmail: row.signer_email,
    reason: row.reason,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    idempotencyKey: row.idempotency_key,
  };
  const parsed = DeclarationRecordSchema.safeParse(record);
  return parsed.success ? parsed.data : (record as DeclarationRecord);
}

export function declarationRowValues(record: DeclarationRecord, leafIndex: number, recordJson: string, leafHash: string): Omit<DeclarationRow, 'receipt_json' | 'receipt_key_sha256'> {
  return {
    leaf_index: leafIndex,
    record_id: record.recordId,
    declared_at: record.declaredAt,
    kind: record.kind,
    change_id: record.changeId,
    governing_avv_version: record.governingAvvVersion,
    rule_id: record.ruleId,
    clause: record.clause,
    required_form: record.requiredForm,
    deadline: record.deadline,
    counted_from: record.countedFrom,
    counted_from_day: record.countedFromDay,
    within_window: record.withinWindow === null ? null : 1,
    withdraws: record.withdraws,
    lang: record.lang,
    company_name: record.companyName,
    account_id: record.accountId,
    signer_name: record.signerName,
    signer_role: record.signerRole,
    signer_email: record.signerEmail,
    reason: record.reason,
    ip_address: record.ipAddress,
    user_agent: record.userAgent,
    idempotency_key: record.idempotencyKey,
    record_json: recordJson,
    leaf_hash: leafHash,
  };
}

/** A row as SELECT_LEDGER_DECLARATIONS reads it (with its redaction statement, if any), parsed, for the audit. */
export function ledgerDeclarationRow(raw: unknown): LedgerRecordRow {
  const row = parseRow(DeclarationRowSchema, raw, 'a declarations row');
  return logRecordRow(row, declarationFromRow(row), raw);
}

/** The rows of both record types as one log, in position order. */
export function inLogOrder(...tables: readonly (readonly LedgerRecordRow[])[]): LedgerRecordRow[] {
  return tables.flat().sort((a, b) => a.leafIndex - b.leafIndex);
}
