import { z } from 'zod';
import { auditLedger, type AuditReport } from '../../src/domain/ledger-audit.ts';
import { ledgerHeadRow, ledgerRecordRow, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS, type AcceptanceRow, type HeadRow } from '../../src/domain/ledger-rows.ts';
import type { LogKey } from '../../src/domain/acceptance-log.ts';

const HeadRowSchema = z.object({ tree_size: z.number().int(), root_hash: z.string(), leaf_hash: z.string(), frontier: z.string(), checkpoint: z.string() }) satisfies z.ZodType<HeadRow>;

/** Full audit of the log in D1 (admin endpoint). Reads every row: meant for occasional checks. */
export async function auditStoredLedger(db: D1Database, key: LogKey): Promise<AuditReport> {
  const [records, heads] = await db.batch<AcceptanceRow | HeadRow>([db.prepare(SELECT_LEDGER_RECORDS), db.prepare(SELECT_LEDGER_HEADS)]);
  return auditLedger(
    (records!.results as AcceptanceRow[]).map(ledgerRecordRow),
    (heads?.results ?? []).map((row) => ledgerHeadRow(HeadRowSchema.parse(row))),
    key,
  );
}

export async function latestHead(db: D1Database): Promise<HeadRow | null> {
  const row = await db.prepare('SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1').first();
  return row === null ? null : HeadRowSchema.parse(row);
}

/** Every head up to `size`, oldest first: the leaf hashes an inclusion proof is built from. */
export async function headsUpTo(db: D1Database, size: number): Promise<HeadRow[]> {
  const { results } = await db.prepare('SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads WHERE tree_size <= ? ORDER BY tree_size').bind(size).all();
  return results.map((row) => HeadRowSchema.parse(row));
}
