import { canonicalRecord, recordLeafHash, type AcceptanceRecord } from './acceptance-record.ts';
import { signCheckpoint } from './checkpoint.ts';
import { fromHex, toHex } from './encoding.ts';
import { appendLeaf, EMPTY_FRONTIER, frontierRoot, inclusionProofOfAppended, type Frontier } from './merkle.ts';
import { receiptKeyId, signReceipt, RECEIPT_FORMAT, type Receipt } from './receipt.ts';
import type { LedgerHeadRow } from './ledger-audit.ts';
import type { SigningKey } from './signing-key.ts';

/**
 * One append to the acceptance log, computed before anything is written: the leaf, the new
 * head (frontier, root, signed checkpoint) and the signed receipt. The caller stores record
 * and head in one transaction; if another append won the race, it recomputes from the new head.
 */
export interface LogKey extends SigningKey {
  /** Log origin and note key name. Example: "trust.example.com/avv-acceptances". */
  name: string;
}

export interface Append {
  leafIndex: number;
  recordJson: string;
  leafHash: string;
  head: LedgerHeadRow;
  receipt: Receipt;
}

/** The frontier stored in a head row (JSON hex list); the empty log has none. */
export function headFrontier(head: Pick<LedgerHeadRow, 'treeSize' | 'frontier'> | null): Frontier {
  if (!head) return EMPTY_FRONTIER;
  const hashes = JSON.parse(head.frontier) as string[];
  return { size: head.treeSize, hashes: hashes.map((hash) => fromHex(hash)) };
}

/** `documentUrl`: where the accepted document is archived; the receipt names it (signed). */
export async function appendRecord(previous: Frontier, record: AcceptanceRecord, key: LogKey, documentUrl?: string): Promise<Append> {
  const recordJson = canonicalRecord(record);
  const leaf = await recordLeafHash(record);
  const frontier = await appendLeaf(previous, leaf);
  const root = await frontierRoot(frontier);
  const checkpoint = await signCheckpoint({ origin: key.name, size: frontier.size, rootHash: root }, { name: key.name, privateKey: key.privateKey, publicKeyRaw: key.publicKeyRaw });
  const receipt = await signReceipt(
    {
      format: RECEIPT_FORMAT,
      record,
      leafIndex: previous.size,
      treeSize: frontier.size,
      rootHash: toHex(root),
      inclusionProof: inclusionProofOfAppended(previous).map(toHex),
      checkpoint,
      keyId: await receiptKeyId(key.name, key.publicKeyRaw),
      ...(documentUrl !== undefined && { documentUrl }),
    },
    key.privateKey,
  );
  return {
    leafIndex: previous.size,
    recordJson,
    leafHash: toHex(leaf),
    head: { treeSize: frontier.size, rootHash: toHex(root), leafHash: toHex(leaf), frontier: JSON.stringify(frontier.hashes.map(toHex)), checkpoint },
    receipt,
  };
}

/** Log origin for a site: its host plus a fixed path, as C2SP origins are schema-less URLs. */
export function logOrigin(siteUrl: string): string {
  const url = new URL(siteUrl);
  return `${url.host}${url.pathname.replace(/\/$/, '')}/avv-acceptances`;
}
