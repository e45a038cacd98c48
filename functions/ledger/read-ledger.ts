import { auditLedger, type AuditReport } from '../../src/domain/ledger-audit.ts';
import { z } from 'zod';
import { ledgerHeadRow, ledgerRecordRow, parseHeadRow, HEAD_COLUMNS, SELECT_LATEST_HEAD, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS, type HeadRow } from '../../src/domain/ledger-rows.ts';
import { inLogOrder, ledgerDeclarationRow, SELECT_LEDGER_DECLARATIONS } from '../../src/domain/declaration-rows.ts';
import { readWitness } from '../../src/domain/ledger-witness.ts';
import { fromHex } from '../../src/domain/encoding.ts';
import { nodeKey, type Hash, type NodeId } from '../../src/domain/merkle.ts';
import type { LogKey } from '../../src/domain/acceptance-log.ts';

/**
 * Full audit of the log in D1 against its witness in R2 and any checkpoints handed in (admin
 * endpoint). Reads every row and every witness object: meant for occasional checks.
 */
export async function auditStoredLedger(env: Env, key: LogKey, checkpoints: string[] = []): Promise<AuditReport> {
  const [[records, declarations, heads], witness] = await Promise.all([
    env.DB.batch([env.DB.prepare(SELECT_LEDGER_RECORDS), env.DB.prepare(SELECT_LEDGER_DECLARATIONS), env.DB.prepare(SELECT_LEDGER_HEADS)]),
    readWitness(env.LEDGER_WITNESS),
  ]);
  return auditLedger(
    inLogOrder(records!.results.map(ledgerRecordRow), declarations!.results.map(ledgerDeclarationRow)),
    heads!.results.map(ledgerHeadRow),
    key,
    { witness, checkpoints },
  );
}

export async function latestHead(db: D1Database): Promise<HeadRow | null> {
  const row = await db.prepare(SELECT_LATEST_HEAD).first();
  return row === null ? null : parseHeadRow(row);
}

const NodeRowSchema = z.object({ level: z.number().int(), idx: z.number().int(), hash: z.string().regex(/^[0-9a-f]{64}$/) });

/** The head of one tree size and the given tree nodes, in one round trip (proof endpoints). */
export async function headAndNodes(db: D1Database, treeSize: number, nodes: readonly NodeId[]): Promise<{ head: HeadRow | null; lookup: (node: NodeId) => Hash | undefined }> {
  const [head, found] = await db.batch([
    db.prepare(`SELECT ${HEAD_COLUMNS} FROM acceptance_log_heads WHERE tree_size = ?1`).bind(treeSize),
    db
      .prepare("SELECT n.level, n.idx, n.hash FROM json_each(?1) AS wanted JOIN acceptance_log_nodes AS n ON n.level = json_extract(wanted.value, '$[0]') AND n.idx = json_extract(wanted.value, '$[1]')")
      .bind(JSON.stringify(nodes.map((node) => [node.level, node.index]))),
  ]);
  const rows = found!.results.map((row) => NodeRowSchema.parse(row));
  const hashes = new Map(rows.map((row) => [nodeKey({ level: row.level, index: row.idx }), fromHex(row.hash)]));
  const headRow = head!.results[0];
  return { head: headRow === undefined ? null : parseHeadRow(headRow), lookup: (node) => hashes.get(nodeKey(node)) };
}
