import { bytesEqual, concatBytes } from './encoding.ts';

/**
 * The Merkle tree of RFC 6962 / RFC 9162 (Certificate Transparency), over which the acceptance
 * log publishes signed checkpoints. Leaf hash SHA-256(0x00 ‖ data), node hash
 * SHA-256(0x01 ‖ left ‖ right); a tree of n leaves splits at the largest power of two below n.
 * Pure WebCrypto, so the Worker, the CLI, the tests and the browser's verify page share it.
 */
export type Hash = Uint8Array<ArrayBuffer>;

export const HASH_SIZE = 32;

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Hash> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export function leafHash(data: Uint8Array): Promise<Hash> {
  return sha256(concatBytes(Uint8Array.of(0), data));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Hash> {
  return sha256(concatBytes(Uint8Array.of(1), left, right));
}

/** MTH of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Promise<Hash> {
  return sha256(new Uint8Array(0));
}

/** Largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) from the leaf hashes, by the definition (O(n); the write path uses the frontier). */
export async function rootOf(leafHashes: readonly Hash[]): Promise<Hash> {
  if (leafHashes.length === 0) return emptyRoot();
  if (leafHashes.length === 1) return leafHashes[0]!;
  const k = split(leafHashes.length);
  return nodeHash(await rootOf(leafHashes.slice(0, k)), await rootOf(leafHashes.slice(k)));
}

/**
 * The compact state of a tree: the roots of its perfect subtrees, left to right (largest
 * first), one per set bit of `size`. Enough to append a leaf and to compute the root, so the
 * Worker never reads more than the latest head to extend the log.
 */
export interface Frontier {
  size: number;
  hashes: Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/** Number of perfect subtrees of a tree of `size` leaves (the set bits of size). */
export function frontierLength(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

export async function appendLeaf(frontier: Frontier, leaf: Hash): Promise<Frontier> {
  const hashes = [...frontier.hashes, leaf];
  // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's height: merge.
  for (let size = frontier.size; size % 2 === 1; size = Math.floor(size / 2)) {
    const right = hashes.pop()!;
    const left = hashes.pop()!;
    hashes.push(await nodeHash(left, right));
  }
  return { size: frontier.size + 1, hashes };
}

export async function frontierRoot(frontier: Frontier): Promise<Hash> {
  if (frontier.hashes.length !== frontierLength(frontier.size)) throw new Error(`a frontier of size ${frontier.size} has ${frontierLength(frontier.size)} hashes, not ${frontier.hashes.length}`);
  if (frontier.size === 0) return emptyRoot();
  let root = frontier.hashes.at(-1)!;
  for (let index = frontier.hashes.length - 2; index >= 0; index--) root = await nodeHash(frontier.hashes[index]!, root);
  return root;
}

/** The frontier of the first `size` leaves. */
export async function frontierOf(leafHashes: readonly Hash[]): Promise<Frontier> {
  let frontier = EMPTY_FRONTIER;
  for (const leaf of leafHashes) frontier = await appendLeaf(frontier, leaf);
  return frontier;
}

/** PATH(index, D[n]) of RFC 6962 §2.1.1 for the tree of all given leaves: siblings, leaf upwards. */
export async function inclusionProof(leafHashes: readonly Hash[], index: number): Promise<Hash[]> {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf ${index} is not in a tree of ${n} leaves`);
  if (n === 1) return [];
  const k = split(n);
  if (index < k) return [...(await inclusionProof(leafHashes.slice(0, k), index)), await rootOf(leafHashes.slice(k))];
  return [...(await inclusionProof(leafHashes.slice(k), index - k)), await rootOf(leafHashes.slice(0, k))];
}

/**
 * Inclusion proof of the leaf appended to a tree whose frontier (before the append) is given,
 * in the tree one larger: the frontier's subtrees, nearest first. The largest power of two
 * below size + 1 is the top bit of size, so every split of RFC 6962 peels off exactly the next
 * perfect subtree of the frontier. O(log n): this is what the write path puts in a receipt.
 */
export function inclusionProofOfAppended(previous: Frontier): Hash[] {
  return [...previous.hashes].reverse();
}

/**
 * RFC 9162 §2.1.3.2: the root that `proof` leads to from `leaf` at `index` in a tree of
 * `size`, or null when the proof cannot belong to that position (wrong length, bad index).
 */
export async function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Hash | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_SIZE || proof.some((hash) => hash.length !== HASH_SIZE)) return null;
  // Arithmetic instead of bit operators: those truncate to 32 bits.
  let fn = index;
  let sn = size - 1;
  let r: Hash = new Uint8Array(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<boolean> {
  const computed = await rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && root.length === HASH_SIZE && bytesEqual(computed, root);
}
