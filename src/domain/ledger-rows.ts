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
}

export interface HeadRow {
  tree_size: number;
  root_hash: string;
  leaf_hash: string;
  frontier: string;
  checkpoint: string;
}

/** The evidence columns, in the order of AcceptanceRow. */
export const RECORD_COLUMNS = [
  'leaf_index', 'record_id', 'accepted_at', 'avv_version', 'document_sha256', 'wording_version', 'wording_sha256', 'lang',
  'company_name', 'company_address', 'signer_name', 'signer_role', 'signer_email', 'account_id', 'ip_address', 'user_agent',
  'idempotency_key', 'record_json', 'leaf_hash',
] as const;

export const SELECT_LEDGER_RECORDS = `SELECT ${RECORD_COLUMNS.join(', ')} FROM acceptances ORDER BY leaf_index`;
export const SELECT_LEDGER_HEADS = 'SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads ORDER BY tree_size';

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

export function rowValues(record: AcceptanceRecord, leafIndex: number, recordJson: string, leafHash: string): AcceptanceRow {
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
  return { leafIndex: row.leaf_index, record: recordFromRow(row), recordJson: row.record_json, leafHash: row.leaf_hash };
}

export function ledgerHeadRow(row: HeadRow): LedgerHeadRow {
  return { treeSize: row.tree_size, rootHash: row.root_hash, leafHash: row.leaf_hash, frontier: row.frontier, checkpoint: row.checkpoint };
}
