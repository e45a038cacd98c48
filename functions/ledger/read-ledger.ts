import { auditLedger, type AuditReport } from '../../src/domain/ledger-audit.ts';
import { ledgerHeadRow, ledgerRecordRow, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS, type AcceptanceRow, type HeadRow } from '../../src/domain/ledger-rows.ts';
import type { LogKey } from '../../src/domain/acceptance-log.ts';

/** Full audit of the log in D1 (admin endpoint). Reads every row: meant for occasional checks. */
export async function auditStoredLedger(db: D1Database, key: LogKey): Promise<AuditReport> {
  const [records, heads] = await db.batch<AcceptanceRow | HeadRow>([db.prepare(SELECT_LEDGER_RECORDS), db.prepare(SELECT_LEDGER_HEADS)]);
  return auditLedger(
    (records!.results as AcceptanceRow[]).map(ledgerRecordRow),
    (heads!.results as HeadRow[]).map(ledgerHeadRow),
    key,
  );
}

export async function latestHead(db: D1Database): Promise<HeadRow | null> {
  return db.prepare('SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1').first<HeadRow>();
}
