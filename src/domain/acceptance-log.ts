import { canonicalRecord, recordLeafHash } from './acceptance-record.ts';
import type { LogRecord } from './log-record.ts';
import { signCheckpoint } from './checkpoint.ts';
import { fromHex, toHex } from './encoding.ts';
import { appendBatch, EMPTY_FRONTIER, type Frontier, type StoredNode } from './merkle.ts';
import { receiptKeyId, signReceipt, RECEIPT_FORMAT, type Receipt } from './receipt.ts';
import type { LedgerHeadRow } from './ledger-audit.ts';
import type { SigningKey } from './signing-key.ts';

/**
 * One group commit to the acceptance log, computed before anything is written: a leaf per
 * record, the new head (frontier, root, ONE signed checkpoint for the whole batch), the tree
 * nodes the batch completes and a signed receipt per record whose inclusion proof leads to
 * that checkpoint. The sequencer stores all of it in one transaction.
 */
export interface LogKey extends SigningKey {
  /** Log origin and note key name. Example: "trust.example.com/avv-acceptances". */
  name: string;
}

export interface AppendedRecord<R extends LogRecord = LogRecord> {
  leafIndex: number;
  recordJson: string;
  leafHash: string;
  receipt: Receipt<R>;
}

export interface GroupCommit<R extends LogRecord = LogRecord> {
  records: AppendedRecord<R>[];
  head: LedgerHeadRow;
  nodes: StoredNode[];
}

/** A group commit of a single record, with its head and nodes. */
export interface Append<R extends LogRecord = LogRecord> extends AppendedRecord<R> {
  head: LedgerHeadRow;
  nodes: StoredNode[];
}

/** The frontier stored in a head row (JSON hex list); the empty log has none. */
export function headFrontier(head: Pick<LedgerHeadRow, 'treeSize' | 'frontier'> | null): Frontier {
  if (!head) return EMPTY_FRONTIER;
  const hashes = JSON.parse(head.frontier) as string[];
  return { size: head.treeSize, hashes: hashes.map((hash) => fromHex(hash)) };
}

/**
 * `documentUrls[i]`: where record i's accepted document is archived; its receipt names it
 * (signed). Absent for callers that predate the archive.
 */
export async function appendRecords<R extends LogRecord>(previous: Frontier, records: readonly R[], key: LogKey, documentUrls: readonly (string | undefined)[] = []): Promise<GroupCommit<R>> {
  if (records.length === 0) throw new RangeError('a group commit needs at least one record');
  const leaves = await Promise.all(records.map((record) => recordLeafHash(record)));
  const batch = await appendBatch(previous, leaves);
  const checkpoint = await signCheckpoint({ origin: key.name, size: batch.frontier.size, rootHash: batch.root }, { name: key.name, privateKey: key.privateKey, publicKeyRaw: key.publicKeyRaw });
  const keyId = await receiptKeyId(key.name, key.publicKeyRaw);
  const rootHash = toHex(batch.root);
  const appended = await Promise.all(
    records.map(async (record, i): Promise<AppendedRecord<R>> => {
      const leafIndex = previous.size + i;
      const receipt = await signReceipt(
        {
          format: RECEIPT_FORMAT,
          record,
          leafIndex,
          treeSize: batch.frontier.size,
          rootHash,
          inclusionProof: batch.proofs[i]!.map(toHex),
          checkpoint,
          keyId,
          ...(documentUrls[i] !== undefined && { documentUrl: documentUrls[i] }),
        },
        key.privateKey,
      );
      return { leafIndex, recordJson: canonicalRecord(record), leafHash: toHex(leaves[i]!), receipt };
    }),
  );
  return {
    records: appended,
    head: {
      treeSize: batch.frontier.size,
      rootHash,
      leafHash: toHex(leaves.at(-1)!),
      leafHashes: leaves.map(toHex),
      frontier: JSON.stringify(batch.frontier.hashes.map(toHex)),
      checkpoint,
    },
    nodes: batch.nodes,
  };
}

/** One record on its own: the batch of one that every sequential append is. */
export async function appendRecord<R extends LogRecord>(previous: Frontier, record: R, key: LogKey, documentUrl?: string): Promise<Append<R>> {
  const { records, head, nodes } = await appendRecords(previous, [record], key, [documentUrl]);
  return { ...records[0]!, head, nodes };
}

/** Log origin for a site: its host plus a fixed path, as C2SP origins are schema-less URLs. */
export function logOrigin(siteUrl: string): string {
  const url = new URL(siteUrl);
  return `${url.host}${url.pathname.replace(/\/$/, '')}/avv-acceptances`;
}
