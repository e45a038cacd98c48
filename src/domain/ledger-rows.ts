import type { AcceptanceRecord } from './acceptance-record.ts';
import { RECORD_FORMAT } from './acceptance-record.ts';
import type { LedgerHeadRow, LedgerRecordRow } from './ledger-audit.ts';

/**
 * The D1 tables of migrations/0002_acceptances.sql as rows, and their mapping to the domain.
 * Shared by the Worker (write path, admin audit) and `npm run ledger:verify`, so both read the
 * evidence the same way.
 */
export interface AcceptanceRow {
  leaf_index: number;
  record_id: string;
  accepted_at: string;
  avv_version: string;
  document_sha256: string;
  wording_version: string;
  wording_sha256: string;
  lang: string;
  company_name: string;
  company_address: string;
  signer_name: string;
  signer_role: string;
  signer_email: string;
  account_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  idempotency_key: string;
  record_json: string;
  leaf_hash: string;
  /** Not evidence, but bound to the record by the witness (swaps between records are found). */
  receipt_json: string;
  receipt_key: string;
  /** The signed redaction statement of a redacted record (migration 0014), else null. */
  redaction?: string | null;
}

export interface HeadRow {
  tree_size: number;
  root_hash: string;
  leaf_hash: string;
  frontier: string;
  checkpoint: string;
  /** JSON list of the leaves this head added (migration 0010); null on older one-leaf heads. */
  leaf_hashes: string | null;
}

/** The evidence columns, in the order of AcceptanceRow. */
export const RECORD_COLUMNS = [
  'leaf_index', 'record_id', 'accepted_at', 'avv_version', 'document_sha256', 'wording_version', 'wording_sha256', 'lang',
  'company_name', 'company_address', 'signer_name', 'signer_role', 'signer_email', 'account_id', 'ip_address', 'user_agent',
  'idempotency_key', 'record_json', 'leaf_hash',
] as const;

/** Every column a record row is written with: the evidence, then what ties a request to it. */
export const ACCEPTANCE_INSERT_COLUMNS = [...RECORD_COLUMNS, 'submission_sha256', 'receipt_key', 'receipt_json'] as const;

export const SELECT_LEDGER_RECORDS = `SELECT ${RECORD_COLUMNS.map((column) => `a.${column}`).join(', ')}, a.receipt_json, a.receipt_key, r.statement AS redaction
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

export function rowValues(record: AcceptanceRecord, leafIndex: number, recordJson: string, leafHash: string): Omit<AcceptanceRow, 'receipt_json' | 'receipt_key'> {
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

export function ledgerRecordRow(row: AcceptanceRow): LedgerRecordRow {
  return {
    leafIndex: row.leaf_index,
    record: recordFromRow(row),
    recordJson: row.record_json,
    leafHash: row.leaf_hash,
    receiptJson: row.receipt_json,
    receiptKey: row.receipt_key,
    ...(row.redaction ? { redaction: row.redaction } : {}),
  };
}

export function ledgerHeadRow(row: HeadRow): LedgerHeadRow {
  return { treeSize: row.tree_size, rootHash: row.root_hash, leafHash: row.leaf_hash, leafHashes: parseLeafHashes(row), frontier: row.frontier, checkpoint: row.checkpoint };
}

/** The leaves a head added; an unreadable list is kept as nothing, which the audit then names. */
function parseLeafHashes(row: HeadRow): string[] {
  if (row.leaf_hashes === null) return [row.leaf_hash];
  try {
    const hashes = JSON.parse(row.leaf_hashes) as unknown;
    return Array.isArray(hashes) && hashes.every((hash) => typeof hash === 'string') ? hashes : [];
  } catch {
    return [];
  }
}
