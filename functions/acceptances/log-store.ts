import type { GroupCommit } from '../../src/domain/acceptance-log.ts';
import { z } from 'zod';
import { ACCEPTANCE_INSERT_COLUMNS, parseHeadRow, rowValues, SELECT_LATEST_HEAD, type HeadRow } from '../../src/domain/ledger-rows.ts';
import { fromHex, toHex } from '../../src/domain/encoding.ts';
import { DECLARATION_INSERT_COLUMNS, declarationRowValues } from '../../src/domain/declaration-rows.ts';
import { isDeclarationRecord, type LogRecord } from '../../src/domain/log-record.ts';
import type { Hash, StoredNode } from '../../src/domain/merkle.ts';

/**
 * The SQL of the acceptance log's write path (migrations 0002, 0010, 0011 and 0013), used by its
 * sequencer: the group commit itself, the lookups it needs when D1 refused a batch, and loading
 * the head. The log has two record types in one position space: acceptances (`acceptances`) and
 * declarations on changes (`declarations`).
 */

const INSERT_NODES = "INSERT OR REPLACE INTO acceptance_log_nodes (level, idx, hash) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?1)";

/** What a record row holds besides the evidence: how a request finds its receipt again. */
export interface RecordExtras {
  record: LogRecord;
  /** submissionFingerprint() / declarationFingerprint() of the submission (a different body under the same key is refused). */
  fingerprint: string;
  /** SHA-256 of the receipt capability (receipt-capability.ts); the capability itself is not stored. */
  receiptKeySha256: string;
  receiptJson: string;
}

/**
 * The statements of one group commit, for ONE D1 batch (one transaction): every record, the one
 * head that covers them, and the tree nodes they complete. Rows travel as one JSON parameter
 * each, so a batch of any size stays a few statements and within D1's bound-parameter limit.
 * Records go first, one statement per run of one record type in log order (the triggers check
 * that each record takes the next position of either table), then the head, which the triggers
 * check against them.
 */
export function groupCommitStatements(db: D1Database, commit: GroupCommit, extras: readonly RecordExtras[], createdAt: string): D1PreparedStatement[] {
  const runs: Array<{ table: 'acceptances' | 'declarations'; rows: Record<string, unknown>[] }> = [];
  commit.records.forEach((appended, i) => {
    const extra = extras[i]!;
    const ties = { submission_sha256: extra.fingerprint, receipt_key_sha256: extra.receiptKeySha256, receipt_json: extra.receiptJson };
    const table = isDeclarationRecord(extra.record) ? 'declarations' : 'acceptances';
    const row = isDeclarationRecord(extra.record)
      ? { ...declarationRowValues(extra.record, appended.leafIndex, appended.recordJson, appended.leafHash), ...ties }
      : { ...rowValues(extra.record, appended.leafIndex, appended.recordJson, appended.leafHash), ...ties };
    if (runs.at(-1)?.table === table) runs.at(-1)!.rows.push(row);
    else runs.push({ table, rows: [row] });
  });
  const { head } = commit;
  return [
    ...runs.map(({ table, rows }) => {
      const columns = table === 'declarations' ? DECLARATION_INSERT_COLUMNS : ACCEPTANCE_INSERT_COLUMNS;
      return db
        .prepare(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((column) => `json_extract(value, '$.${column}')`).join(', ')} FROM json_each(?1) ORDER BY key`)
        .bind(JSON.stringify(rows));
    }),
    db
      .prepare('INSERT INTO acceptance_log_heads (tree_size, root_hash, leaf_hash, leaf_hashes, frontier, checkpoint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(head.treeSize, head.rootHash, head.leafHash, JSON.stringify(head.leafHashes), head.frontier, head.checkpoint, createdAt),
    // REPLACE, not IGNORE: nodes are derived from the heads just written, and only a database
    // rolled back behind the nodes' back can hold older ones at these positions.
    db
      .prepare(INSERT_NODES)
      .bind(JSON.stringify(commit.nodes.map((node) => [node.level, node.index, toHex(node.hash)]))),
  ];
}

/** A stored record (of either type) under one of the given idempotency keys. */
const StoredByKeySchema = z.object({
  idempotency_key: z.string(),
  record_id: z.string(),
  /** submissionFingerprint() of what was stored under the key. */
  submission_sha256: z.string(),
  /** SHA-256 of the capability issued (null: a pre-0013 record not yet hashed). */
  receipt_key_sha256: z.string().nullable(),
  receipt_json: z.string(),
});
export type StoredByKey = z.output<typeof StoredByKeySchema>;

export async function storedByKeys(db: D1Database, keys: readonly string[]): Promise<StoredByKey[]> {
  const { results } = await db
    .prepare(
      `SELECT idempotency_key, record_id, submission_sha256, receipt_key_sha256, receipt_json FROM acceptances WHERE idempotency_key IN (SELECT value FROM json_each(?1))
       UNION ALL SELECT idempotency_key, record_id, submission_sha256, receipt_key_sha256, receipt_json FROM declarations WHERE idempotency_key IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(keys))
    .all();
  return results.map((row) => StoredByKeySchema.parse(row));
}

const CountSchema = z.object({ n: z.number().int() });
const NodeHashSchema = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) });

/** The latest head (null: empty log) and how many tree nodes are stored. */
export async function latestHeadAndNodeCount(db: D1Database): Promise<{ head: HeadRow | null; nodes: number }> {
  const [latest, count] = await db.batch([db.prepare(SELECT_LATEST_HEAD), db.prepare('SELECT COUNT(*) AS n FROM acceptance_log_nodes')]);
  const head = latest!.results[0];
  return { head: head === undefined ? null : parseHeadRow(head), nodes: CountSchema.parse(count!.results[0]).n };
}

/** Every leaf hash stored as a level-0 node, in log order. */
export async function storedLeaves(db: D1Database): Promise<Hash[]> {
  const { results } = await db.prepare('SELECT hash FROM acceptance_log_nodes WHERE level = 0 ORDER BY idx').all();
  return results.map((row) => fromHex(NodeHashSchema.parse(row).hash));
}

/** Adds tree nodes that are missing (the inner nodes of a log written before migration 0010). */
export async function insertMissingNodes(db: D1Database, nodes: readonly StoredNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 1000) {
    await db
      .prepare(INSERT_NODES.replace('INSERT OR REPLACE', 'INSERT OR IGNORE'))
      .bind(JSON.stringify(nodes.slice(i, i + 1000).map((node) => [node.level, node.index, toHex(node.hash)])))
      .run();
  }
}
