import { auditLedger, type AuditReport } from '../../src/domain/ledger-audit.ts';
import { ledgerHeadRow, ledgerRecordRow, HEAD_COLUMNS, SELECT_LATEST_HEAD, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS, type AcceptanceRow, type HeadRow } from '../../src/domain/ledger-rows.ts';
import { readWitness } from '../../src/domain/ledger-witness.ts';
import { fromHex } from '../../src/domain/encoding.ts';
import { nodeKey, type Hash, type NodeId } from '../../src/domain/merkle.ts';
import type { LogKey } from '../../src/domain/acceptance-log.ts';

/**
 * Full audit of the log in D1 against its witness in R2 and any checkpoints handed in (admin
 * endpoint). Reads every row and every witness object: meant for occasional checks.
 */
export async function auditStoredLedger(env: Env, key: LogKey, checkpoints: string[] = []): Promise<AuditReport> {
  const [[records, heads], witness] = await Promise.all([
    env.DB.batch<AcceptanceRow | HeadRow>([env.DB.prepare(SELECT_LEDGER_RECORDS), env.DB.prepare(SELECT_LEDGER_HEADS)]),
    readWitness(env.LEDGER_WITNESS),
  ]);
  return auditLedger(
    (records!.results as AcceptanceRow[]).map(ledgerRecordRow),
    (heads!.results as HeadRow[]).map(ledgerHeadRow),
    key,
    { witness, checkpoints },
  );
}

export async function latestHead(db: D1Database): Promise<HeadRow | null> {
  return db.prepare(SELECT_LATEST_HEAD).first<HeadRow>();
}

/** The head of one tree size and the given tree nodes, in one round trip (proof endpoints). */
export async function headAndNodes(db: D1Database, treeSize: number, nodes: readonly NodeId[]): Promise<{ head: HeadRow | null; lookup: (node: NodeId) => Hash | undefined }> {
  const [head, found] = await db.batch<HeadRow | { level: number; idx: number; hash: string }>([
    db.prepare(`SELECT ${HEAD_COLUMNS} FROM acceptance_log_heads WHERE tree_size = ?1`).bind(treeSize),
    db
      .prepare("SELECT n.level, n.idx, n.hash FROM json_each(?1) AS wanted JOIN acceptance_log_nodes AS n ON n.level = json_extract(wanted.value, '$[0]') AND n.idx = json_extract(wanted.value, '$[1]')")
      .bind(JSON.stringify(nodes.map((node) => [node.level, node.index]))),
  ]);
  const hashes = new Map((found!.results as Array<{ level: number; idx: number; hash: string }>).map((row) => [nodeKey({ level: row.level, index: row.idx }), fromHex(row.hash)]));
  return { head: (head!.results[0] as HeadRow | undefined) ?? null, lookup: (node) => hashes.get(nodeKey(node)) };
}
