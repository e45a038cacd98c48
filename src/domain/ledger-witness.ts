import { z } from 'zod';
import { sha256Hex } from './sha256.ts';

/**
 * The copy of every signed checkpoint kept outside D1 (an R2 bucket under a bucket lock in
 * production), so that an edit of the database — deleting the newest records with their heads,
 * wiping both tables, restoring an older state and appending anew, swapping receipts between
 * rows — is found by comparing D1 with it. One object per group commit, written by the
 * sequencer after the batch committed and before any of its receipts is handed out.
 */
export const WITNESS_FORMAT = 'trust-center/ledger-witness@1';

/** Where the objects live in the bucket; the bucket lock rule covers this prefix. */
export const WITNESS_PREFIX = 'checkpoints/';

export const WitnessLeafSchema = z.object({
  /** Log position of the record. */
  leafIndex: z.number().int().min(0),
  /** The record's id (not personal data). */
  recordId: z.string(),
  /** RFC 6962 leaf hash of the record, hex. */
  leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 (hex) of `receipt_json` as written: the receipt issued for this record. */
  receiptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * SHA-256 (hex) of the receipt capability key issued with the record. Since migration 0013 this
   * is exactly what D1 stores (`receipt_key_sha256`, the key itself is not stored); before, D1
   * held the key and this its hash — the same value, so old witness objects still compare.
   */
  receiptKeySha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const WitnessEntrySchema = z.object({
  format: z.literal(WITNESS_FORMAT),
  /** Tree size of the checkpoint. */
  treeSize: z.number().int().min(1),
  /** Tree size of the head before this batch. */
  previousSize: z.number().int().min(0),
  /** Root hash of the checkpoint, hex. */
  rootHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The C2SP signed note exactly as D1 and the receipts hold it. */
  checkpoint: z.string(),
  /** The records the batch added, in leaf order. */
  leaves: z.array(WitnessLeafSchema),
});

export type WitnessLeaf = z.output<typeof WitnessLeafSchema>;
export type WitnessEntry = z.output<typeof WitnessEntrySchema>;

/**
 * Object name of a checkpoint: size (zero-padded, so listing sorts by size) and root. Two
 * different trees of one size — a fork — are two objects, never one overwriting the other.
 */
export function witnessObjectName(treeSize: number, rootHash: string): string {
  return `${WITNESS_PREFIX}${String(treeSize).padStart(16, '0')}-${rootHash}.json`;
}

/** The bindings of one written record: what a later swap of its receipt columns would break. */
export async function witnessLeaf(leafIndex: number, recordId: string, leafHash: string, receiptJson: string, receiptKeySha256: string): Promise<WitnessLeaf> {
  return { leafIndex, recordId, leafHash, receiptSha256: await sha256Hex(receiptJson), receiptKeySha256 };
}

/** The part of R2's bucket API the witness uses; the Worker's binding and Miniflare's both fit. */
export interface WitnessBucket {
  put(key: string, value: string, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ text(): Promise<string> } | null>;
  list(options?: { prefix?: string; cursor?: string }): Promise<{ objects: Array<{ key: string }>; truncated: boolean; cursor?: string }>;
}

export async function writeWitness(bucket: WitnessBucket, entry: WitnessEntry): Promise<void> {
  await bucket.put(witnessObjectName(entry.treeSize, entry.rootHash), `${JSON.stringify(entry)}\n`, { httpMetadata: { contentType: 'application/json' } });
}

/** A witness object that is not one (unreadable, wrong shape): the audit names it. */
export interface UnreadableWitness {
  key: string;
  problem: string;
}

/** Every witness object, by tree size; reads them all (for audits, not per request). */
export async function readWitness(bucket: WitnessBucket): Promise<{ entries: WitnessEntry[]; unreadable: UnreadableWitness[] }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: WITNESS_PREFIX, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((object) => object.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const entries: WitnessEntry[] = [];
  const unreadable: UnreadableWitness[] = [];
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(
      keys.slice(i, i + 32).map(async (key) => {
        const text = await (await bucket.get(key))?.text();
        let parsed;
        try {
          parsed = text === undefined ? null : WitnessEntrySchema.safeParse(JSON.parse(text));
        } catch {
          parsed = null;
        }
        if (parsed?.success) entries.push(parsed.data);
        else unreadable.push({ key, problem: text === undefined ? 'listed but not readable' : 'not a witness entry' });
      }),
    );
  }
  entries.sort((a, b) => a.treeSize - b.treeSize);
  return { entries, unreadable };
}
