import type { GroupCommit } from '../../src/domain/acceptance-log.ts';
import { ACCEPTANCE_INSERT_COLUMNS, rowValues } from '../../src/domain/ledger-rows.ts';
import { toHex } from '../../src/domain/encoding.ts';
import type { AcceptanceRecord } from '../../src/domain/acceptance-record.ts';

/** What a record row holds besides the evidence: how a request finds its receipt again. */
export interface RecordExtras {
  record: AcceptanceRecord;
  /** submissionFingerprint() of the submission (a different body under the same key is refused). */
  fingerprint: string;
  receiptKey: string;
  receiptJson: string;
}

/**
 * The statements of one group commit, for ONE D1 batch (one transaction): every record, the one
 * head that covers them, and the tree nodes they complete. Rows travel as one JSON parameter
 * each, so a batch of any size stays three statements and within D1's bound-parameter limit.
 * Records go first: the triggers of migration 0010 check each head against them.
 */
export function groupCommitStatements(db: D1Database, commit: GroupCommit, extras: readonly RecordExtras[], createdAt: string): D1PreparedStatement[] {
  const rows = commit.records.map((appended, i) => {
    const extra = extras[i]!;
    return { ...rowValues(extra.record, appended.leafIndex, appended.recordJson, appended.leafHash), submission_sha256: extra.fingerprint, receipt_key: extra.receiptKey, receipt_json: extra.receiptJson };
  });
  const columns = ACCEPTANCE_INSERT_COLUMNS;
  const { head } = commit;
  return [
    db
      .prepare(`INSERT INTO acceptances (${columns.join(', ')}) SELECT ${columns.map((column) => `json_extract(value, '$.${column}')`).join(', ')} FROM json_each(?1) ORDER BY key`)
      .bind(JSON.stringify(rows)),
    db
      .prepare('INSERT INTO acceptance_log_heads (tree_size, root_hash, leaf_hash, leaf_hashes, frontier, checkpoint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(head.treeSize, head.rootHash, head.leafHash, JSON.stringify(head.leafHashes), head.frontier, head.checkpoint, createdAt),
    // REPLACE, not IGNORE: nodes are derived from the heads just written, and only a database
    // rolled back behind the nodes' back can hold older ones at these positions.
    db
      .prepare("INSERT OR REPLACE INTO acceptance_log_nodes (level, idx, hash) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?1)")
      .bind(JSON.stringify(commit.nodes.map((node) => [node.level, node.index, toHex(node.hash)]))),
  ];
}
