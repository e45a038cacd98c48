import { createHash } from 'node:crypto';

/**
 * A second, independent receipt verifier for the tests, written against the specifications
 * (RFC 6962 hashing, the C2SP signed-note format, Ed25519 over the payload) without importing
 * anything from src/: if the Worker's Merkle or signing code were wrong in a self-consistent
 * way, this would disagree. Where the production code walks the proof bit by bit (RFC 9162
 * §2.1.3.2), this recurses over the tree's split points instead.
 */
const sha256 = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** RFC 8785 for the value types a record holds (strings, numbers, null, objects). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** Root reached from `leaf` at `index` in a tree of `size`, consuming the proof from its end. */
function rootFromPath(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[]): Uint8Array | null {
  if (size === 1) return proof.length === 0 ? leaf : null;
  if (proof.length === 0) return null;
  let k = 1;
  while (k * 2 < size) k *= 2;
  const sibling = proof[proof.length - 1]!;
  const rest = proof.slice(0, -1);
  if (index < k) {
    const left = rootFromPath(index, k, leaf, rest);
    return left && sha256(Uint8Array.of(1), left, sibling);
  }
  const right = rootFromPath(index - k, size - k, leaf, rest);
  return right && sha256(Uint8Array.of(1), sibling, right);
}

export interface IndependentResult {
  signature: boolean;
  payloadMatchesFields: boolean;
  leafHash: string;
  inclusion: boolean;
  checkpoint: boolean;
}

interface ReceiptLike {
  record: unknown;
  leafIndex: number;
  treeSize: number;
  rootHash: string;
  inclusionProof: string[];
  checkpoint: string;
  keyId: string;
  payload: string;
  signature: string;
}

export async function verifyIndependently(receipt: ReceiptLike, publicKeyPem: string): Promise<IndependentResult> {
  const der = Buffer.from(publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, true, ['verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));

  const payload = Buffer.from(receipt.payload, 'base64');
  const signature = await crypto.subtle.verify('Ed25519', key, Buffer.from(receipt.signature, 'base64'), payload);
  const { payload: _p, signature: _s, ...fields } = receipt;
  const payloadMatchesFields = payload.toString('utf8') === canonical(fields);

  const leaf = sha256(Uint8Array.of(0), Buffer.from(canonical(receipt.record), 'utf8'));
  const root = rootFromPath(receipt.leafIndex, receipt.treeSize, leaf, receipt.inclusionProof.map((h) => Buffer.from(h, 'hex')));
  const inclusion = root !== null && hex(root) === receipt.rootHash;

  // Signed note: body, blank line, "— <name> <base64(keyid4 ‖ sig64)>".
  const [body, signatures] = receipt.checkpoint.split('\n\n') as [string, string];
  const [origin, size, rootBase64] = body.split('\n');
  const line = /^\u2014 (\S+) (\S+)$/.exec(signatures.trim());
  let checkpoint = false;
  if (line && line[1] === origin) {
    const blob = Buffer.from(line[2]!, 'base64');
    const keyId = sha256(Buffer.from(`${origin}\n`), Uint8Array.of(1), raw).slice(0, 4);
    checkpoint =
      hex(blob.subarray(0, 4)) === hex(keyId) &&
      receipt.keyId === `${origin}+${hex(keyId)}` &&
      (await crypto.subtle.verify('Ed25519', key, blob.subarray(4), Buffer.from(`${body}\n`, 'utf8'))) &&
      Number(size) === receipt.treeSize &&
      Buffer.from(rootBase64!, 'base64').toString('hex') === receipt.rootHash;
  }
  return { signature, payloadMatchesFields, leafHash: hex(leaf), inclusion, checkpoint };
}

/**
 * RFC 9162 §2.1.4 consistency, checked without src/: instead of the bit walk of §2.1.4.2, this
 * replays SUBPROOF's recursion over the tree's split points, taking proof hashes from the end
 * (the deepest comes first), and rebuilds both roots. True when the proof shows that the tree
 * of `first` leaves with `firstRoot` is a prefix of the tree of `size` leaves with `sizeRoot`.
 */
export function verifyConsistencyIndependently(first: number, size: number, firstRoot: string, sizeRoot: string, proofHex: string[]): boolean {
  if (first < 1 || first > size) return false;
  if (first === size) return proofHex.length === 0 && firstRoot === sizeRoot;
  const proof = proofHex.map((h) => Buffer.from(h, 'hex'));
  const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
  /** [old subtree root or null when it is the known old root, new subtree root] of D[n] for m leaves. */
  const walk = (m: number, n: number, whole: boolean, rest: Uint8Array[]): [Uint8Array | null, Uint8Array] | null => {
    if (m === n) {
      if (whole) return [null, Buffer.from(firstRoot, 'hex')];
      const own = rest.pop();
      return own ? [own, own] : null;
    }
    const sibling = rest.pop();
    if (!sibling) return null;
    let k = 1;
    while (k * 2 < n) k *= 2;
    if (m <= k) {
      const left = walk(m, k, whole, rest);
      return left && [left[0], node(left[1], sibling)];
    }
    const right = walk(m - k, n - k, false, rest);
    return right && [node(sibling, right[0] ?? Buffer.from(firstRoot, 'hex')), node(sibling, right[1])];
  };
  const rest = [...proof];
  const result = walk(first, size, true, rest);
  if (!result || rest.length > 0) return false;
  const [oldRoot, newRoot] = result;
  return hex(oldRoot ?? Buffer.from(firstRoot, 'hex')) === firstRoot && hex(newRoot) === sizeRoot;
}
