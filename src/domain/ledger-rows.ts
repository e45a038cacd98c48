import { z } from 'zod';
import type { AcceptanceRecord } from './acceptance-record.ts';
import { RECORD_FORMAT } from './acceptance-record.ts';
import type { LedgerHeadRow, LedgerRecordRow } from './ledger-audit.ts';
import { hex64, logRecordRow, LogRowColumnsSchema, parseRow, text } from './log-rows.ts';

/**
 * The D1 tables of migrations/0002_acceptances.sql (as rebuilt by 0013) as rows, and their
 * mapping to the domain. Shared by the Worker (write path, admin audit) and `npm run
 * ledger:verify`, so both read the evidence the same way. Every row read is parsed here: the
 * audit reads what an attacker may have edited, and a row of the wrong shape is named, not
 * trusted. The columns every log record has are in src/domain/log-rows.ts.
 */
export const AcceptanceRowSchema = LogRowColumnsSchema.extend({
  /** UTC, ISO 8601 with milliseconds. */
  accepted_at: text,
  avv_version: text,
  document_sha256: text,
  wording_version: text,
  wording_sha256: text,
  company_address: text,
  account_id: text.nullable(),
  /**
   * SHA-256 (hex) of the receipt capability key; the key itself is never stored (migration
   * 0013). Null only on a record from before 0013 whose key has not been hashed yet.
   */
  receipt_key_sha256: hex64.nullable(),
});
export type AcceptanceRow = z.output<typeof AcceptanceRowSchema>;

export const HeadRowSchema = z.object({
  /** Tree size after this head. */
  tree_size: z.number().int(),
  /** Root hash (hex) of the signed tree. */
  root_hash: text,
  /** The last leaf this head added (hex). */
  leaf_hash: text,
  /** JSON list of the perfect-subtree roots (hex). */
  frontier: text,
  /** The C2SP signed note. */
  checkpoint: text,
  /** JSON list of the leaves this head added (migration 0010); null on older one-leaf heads. */
  leaf_hashes: text.nullable(),
});
export type HeadRow = z.output<typeof HeadRowSchema>;

export function parseAcceptanceRow(raw: unknown): AcceptanceRow {
  return parseRow(AcceptanceRowSchema, raw, 'an acceptances row');
}

export function parseHeadRow(raw: unknown): HeadRow {
  return parseRow(HeadRowSchema, raw, 'an acceptance_log_heads row');
}

/** The evidence columns, in the order of AcceptanceRow. */
export const RECORD_COLUMNS = [
  'leaf_index', 'record_id', 'accepted_at', 'avv_version', 'document_sha256', 'wording_version', 'wording_sha256', 'lang',
  'company_name', 'company_address', 'signer_name', 'signer_role', 'signer_email', 'account_id', 'ip_address', 'user_agent',
  'idempotency_key', 'record_json', 'leaf_hash',
] as const;

/** Every column a record row is written with: the evidence, then what ties a request to it. */
export const ACCEPTANCE_INSERT_COLUMNS = [...RECORD_COLUMNS, 'submission_sha256', 'receipt_key_sha256', 'receipt_json'] as const;

export const SELECT_LEDGER_RECORDS = `SELECT ${RECORD_COLUMNS.map((column) => `a.${column}`).join(', ')}, a.receipt_json, a.receipt_key_sha256, r.statement AS redaction
  FROM acceptances AS a LEFT JOIN ledger_redactions AS r ON r.leaf_index = a.leaf_index ORDER BY a.leaf_index`;
export const HEAD_COLUMNS = 'tree_size, root_hash, leaf_hash, frontier, checkpoint, leaf_hashes';
export const SELECT_LEDGER_HEADS = `SELECT ${HEAD_COLUMNS} FROM acceptance_log_heads ORDER BY tree_size`;
export const SELECT_LATEST_HEAD = `SELECT ${HEAD_COLUMNS} FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1`;

/** The record as its columns say (not as the JSON copy says): what the audit hashes. */
export function recordFromRow(row: AcceptanceRow): AcceptanceRecord {
  return {
    format: RECORD_FORMAT,
    recordId: row.record_id,
    acceptedAt: row.accepted_at,
    avvVersion: row.avv_version,
    documentSha256: row.document_sha256,
    wordingVersion: row.wording_version,
    wordingSha256: row.wording_sha256,
    // Hashed as stored, whatever it says (see AcceptanceRowSchema.lang).
    lang: row.lang as AcceptanceRecord['lang'],
    companyName: row.company_name,
    companyAddress: row.company_address,
    signerName: row.signer_name,
    signerRole: row.signer_role,
    signerEmail: row.signer_email,
    accountId: row.account_id,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    idempotencyKey: row.idempotency_key,
  };
}

export function rowValues(record: AcceptanceRecord, leafIndex: number, recordJson: string, leafHash: string): Omit<AcceptanceRow, 'receipt_json' | 'receipt_key_sha256'> {
  return {
    leaf_index: leafIndex,
    record_id: record.recordId,
    accepted_at: record.acceptedAt,
    avv_version: record.avvVersion,
    document_sha256: record.documentSha256,
    wording_version: record.wordingVersion,
    wording_sha256: record.wordingSha256,
    lang: record.lang,
    company_name: record.companyName,
    company_address: record.companyAddress,
    signer_name: record.signerName,
    signer_role: record.signerRole,
    signer_email: record.signerEmail,
    account_id: record.accountId,
    ip_address: record.ipAddress,
    user_agent: record.userAgent,
    idempotency_key: record.idempotencyKey,
    record_json: recordJson,
    leaf_hash: leafHash,
  };
}

/** A row as SELECT_LEDGER_RECORDS reads it (with its redaction statement, if any), parsed, for the audit. */
export function ledgerRecordRow(raw: unknown): LedgerRecordRow {
  const row = parseAcceptanceRow(raw);
  return logRecordRow(row, recordFromRow(row), raw);
}

/** A head row as read (any SELECT of HEAD_COLUMNS), parsed, for the audit and the sequencer. */
export function ledgerHeadRow(raw: unknown): LedgerHeadRow {
  const row = parseHeadRow(raw);
  return { treeSize: row.tree_size, rootHash: row.root_hash, leafHash: row.leaf_hash, leafHashes: parseLeafHashes(row), frontier: row.frontier, checkpoint: row.checkpoint };
}

/** The leaves a head added; an unreadable list is kept as nothing, which the audit then names. */
function parseLeafHashes(row: HeadRow): string[] {
  if (row.leaf_hashes === null) return [row.leaf_hash];
  try {
    const hashes = z.array(z.string()).safeParse(JSON.parse(row.leaf_hashes));
    return hashes.success ? hashes.data : [];
  } catch {
    return [];
  }
}

/**
 * One ledger verification run as the console lists it (`ledger_verifications`, migration 0012),
 * written by the admin endpoints (functions/ledger/verification-store.ts) and by a local
 * `npm run ledger:verify` alike, so the console's "last verification" is the last run of any of them.
 */
export const INSERT_LEDGER_VERIFICATION =
  'INSERT INTO ledger_verifications (verified_at, actor, ok, tree_size, record_count, witnessed_size, finding_count, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

export function ledgerVerificationValues(report: { ok: boolean; treeSize: number; recordCount: number; witnessedSize: number | null; findings: readonly unknown[] }, actor: string | null, at: Date): (string | number | null)[] {
  return [at.toISOString(), actor, report.ok ? 1 : 0, report.treeSize, report.recordCount, report.witnessedSize, report.findings.length, JSON.stringify(report)];
}
