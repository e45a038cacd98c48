import { WITNESS_PREFIX } from '../../src/domain/ledger-witness.ts';

/** The newest witness object known: its name and the tree size the name carries. */
export interface WitnessedMark {
  treeSize: number;
  key: string;
}

/** The part of R2's list the lookup needs (`startAfter`: only names sorting after it). */
export interface ListableBucket {
  list(options: { prefix: string; startAfter?: string; cursor?: string }): Promise<{ objects: Array<{ key: string }>; truncated: boolean; cursor?: string }>;
}

const NAME = /^checkpoints\/(\d{16})-[0-9a-f]{64}\.json$/;

/**
 * The newest witness object, listing only those named after `known` (object names sort by
 * tree size, zero-padded): one short list call when the mark is current, however long the log.
 * Names that are not witness objects are skipped; the audit names them.
 */
export async function newestWitnessed(bucket: ListableBucket, known: WitnessedMark | null): Promise<WitnessedMark | null> {
  let newest = known;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: WITNESS_PREFIX, ...(known && { startAfter: known.key }), ...(cursor && { cursor }) });
    for (const { key } of page.objects) {
      const size = NAME.exec(key)?.[1];
      if (size !== undefined && (newest === null || Number(size) >= newest.treeSize)) newest = { treeSize: Number(size), key };
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return newest;
}
