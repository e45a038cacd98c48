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

/**
 * A perfect subtree of the log: level 0 is a leaf, level h covers the 2^h leaves from
 * `index · 2^h`. The Worker stores every one of them once (acceptance_log_nodes) — the tiles
 * of a transparency log — so proofs for any tree size read O(log n) rows, never every leaf.
 */
export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Hash;
}

/** Leaves `start` … `end - 1`: one element of a proof is the MTH of such a span. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The perfect subtrees that make up a span as RFC 6962's recursion produces it (its start is
 * a multiple of the power of two at or above its length), largest first. Their roots folded
 * right to left give the span's MTH; for the span 0…size they are the frontier.
 */
export function spanNodes({ start, end }: Span): NodeId[] {
  const nodes: NodeId[] = [];
  let position = start;
  let width = 1;
  while (width * 2 <= end - start) width *= 2;
  for (let level = Math.log2(width); width >= 1; width /= 2, level--) {
    if (position + width <= end) {
      nodes.push({ level, index: position / width });
      position += width;
    }
  }
  return nodes;
}

export function nodeKey({ level, index }: NodeId): string {
  return `${level}/${index}`;
}

/** MTH of a span from stored nodes; throws naming the first node that is not there. */
export async function spanHash(span: Span, lookup: (node: NodeId) => Hash | undefined): Promise<Hash> {
  const nodes = spanNodes(span);
  if (nodes.length === 0) return emptyRoot();
  const hashes = nodes.map((node) => {
    const hash = lookup(node);
    if (!hash) throw new Error(`Merkle node ${nodeKey(node)} is not stored`);
    return hash;
  });
  let root = hashes.at(-1)!;
  for (let index = hashes.length - 2; index >= 0; index--) root = await nodeHash(hashes[index]!, root);
  return root;
}

/** PATH(index, D[size]) of RFC 9162 §2.1.3.1 as spans, from the leaf upwards. */
export function inclusionSpans(index: number, size: number): Span[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  const spans: Span[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = split(end - start);
    if (index < start + k) {
      spans.push({ start: start + k, end });
      end = start + k;
    } else {
      spans.push({ start, end: start + k });
      start += k;
    }
  }
  return spans.reverse();
}

/**
 * PROOF(first, D[size]) of RFC 9162 §2.1.4.1 as spans, in the order of the proof: that the
 * tree of `first` leaves is a prefix of the tree of `size` leaves. Empty when both are equal.
 */
export function consistencySpans(first: number, size: number): Span[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(size) || first < 1 || first > size) throw new RangeError(`no consistency proof from size ${first} to size ${size}`);
  // SUBPROOF(m, D[start:end], b), unrolled: each step adds the sibling span; collected top-down.
  const spans: Span[] = [];
  let start = 0;
  let end = size;
  let m = first;
  let whole = true;
  while (m !== end - start) {
    const k = split(end - start);
    if (m <= k) {
      spans.push({ start: start + k, end });
      end = start + k;
    } else {
      spans.push({ start, end: start + k });
      start += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) spans.push({ start, end });
  return spans.reverse();
}

/** The proof hashes for the given spans, from stored nodes. */
export function proofFromNodes(spans: readonly Span[], lookup: (node: NodeId) => Hash | undefined): Promise<Hash[]> {
  return Promise.all(spans.map((span) => spanHash(span, lookup)));
}

/** Every node a set of spans needs, without repeats: what a store reads for one proof. */
export function nodesOfSpans(spans: readonly Span[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const span of spans) for (const node of spanNodes(span)) seen.set(nodeKey(node), node);
  return [...seen.values()];
}

/** SUBPROOF by the definition, over all leaf hashes (O(n); the reference the tests hold the span version to). */
export async function consistencyProof(leafHashes: readonly Hash[], first: number): Promise<Hash[]> {
  const subproof = async (m: number, leaves: readonly Hash[], whole: boolean): Promise<Hash[]> => {
    if (m === leaves.length) return whole ? [] : [await rootOf(leaves)];
    const k = split(leaves.length);
    if (m <= k) return [...(await subproof(m, leaves.slice(0, k), whole)), await rootOf(leaves.slice(k))];
    return [...(await subproof(m - k, leaves.slice(k), false)), await rootOf(leaves.slice(0, k))];
  };
  if (first < 1 || first > leafHashes.length) throw new RangeError(`no consistency proof from size ${first} to size ${leafHashes.length}`);
  return subproof(first, leafHashes, true);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows that the tree of `first` leaves with root
 * `firstRoot` is a prefix of the tree of `size` leaves with root `sizeRoot`.
 */
export async function verifyConsistency(first: number, size: number, firstRoot: Uint8Array, sizeRoot: Uint8Array, proof: readonly Uint8Array[]): Promise<boolean> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(size) || first < 1 || first > size) return false;
  if (firstRoot.length !== HASH_SIZE || sizeRoot.length !== HASH_SIZE || proof.some((hash) => hash.length !== HASH_SIZE)) return false;
  if (first === size) return proof.length === 0 && bytesEqual(firstRoot, sizeRoot);
  if (proof.length === 0) return false;
  // Arithmetic instead of bit operators, which truncate to 32 bits.
  const path = Number.isInteger(Math.log2(first)) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = size - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Hash = new Uint8Array(path[0]!);
  let sr: Hash = new Uint8Array(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, sizeRoot);
}

/** What one group commit adds to the tree: every new node, the new frontier and root, a proof per new leaf. */
export interface AppendedBatch {
  frontier: Frontier;
  root: Hash;
  /** Every perfect subtree completed by the batch, leaves included. */
  nodes: StoredNode[];
  /** Inclusion proof of each new leaf in the new tree (RFC 9162 PATH), in leaf order. */
  proofs: Hash[][];
}

/**
 * Appends several leaves at once. Every sibling a new leaf's proof needs is either a node
 * completed by this batch or a perfect subtree of the previous frontier (a left sibling whose
 * parent holds a new leaf cannot lie inside an older subtree), so O(batch · log n) hashing
 * gives each caller of a group commit its own proof to the one checkpoint of the batch.
 */
export async function appendBatch(previous: Frontier, leaves: readonly Hash[]): Promise<AppendedBatch> {
  const { frontier, nodes } = await appendNodes(previous, leaves);
  const known = new Map<string, Hash>();
  spanNodes({ start: 0, end: previous.size }).forEach((node, i) => known.set(nodeKey(node), previous.hashes[i]!));
  for (const node of nodes) known.set(nodeKey(node), node.hash);
  const lookup = (node: NodeId) => known.get(nodeKey(node));
  const proofs: Hash[][] = [];
  for (let index = previous.size; index < frontier.size; index++) proofs.push(await proofFromNodes(inclusionSpans(index, frontier.size), lookup));
  return { frontier, root: await frontierRoot(frontier), nodes, proofs };
}

/** Appends leaves and returns every perfect subtree they complete, leaves included. */
export async function appendNodes(previous: Frontier, leaves: readonly Hash[]): Promise<{ frontier: Frontier; nodes: StoredNode[] }> {
  const nodes: StoredNode[] = [];
  const hashes = [...previous.hashes];
  let size = previous.size;
  for (const leaf of leaves) {
    hashes.push(leaf);
    nodes.push({ level: 0, index: size, hash: leaf });
    let level = 0;
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's height: merge.
    for (let rest = size; rest % 2 === 1; rest = Math.floor(rest / 2)) {
      const right = hashes.pop()!;
      const left = hashes.pop()!;
      const hash = await nodeHash(left, right);
      level++;
      hashes.push(hash);
      nodes.push({ level, index: Math.floor(size / 2 ** level), hash });
    }
    size++;
  }
  return { frontier: { size, hashes }, nodes };
}
