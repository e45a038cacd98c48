import type { AcceptanceRecord } from './acceptance-record.ts';
import type { LogRecord } from './log-record.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import { noteKeyId, verifyCheckpoint } from './checkpoint.ts';
import { bytesEqual, fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding.ts';
import { leafHash, verifyInclusion } from './merkle.ts';

/**
 * The receipt a signer gets for an acceptance: the record, its place in the acceptance log
 * (leaf index, inclusion proof, signed checkpoint) and an Ed25519 signature over all of that.
 * `payload` is the exact signed bytes (base64 of canonical JSON of every member except
 * `payload` and `signature`), so `openssl pkeyutl -verify -rawin` checks it without any JSON
 * tooling. This module is bundled into the verify page: WebCrypto only, no zod, no node:.
 */
export const RECEIPT_FORMAT = 'trust-center/acceptance-receipt@1';

/** `R`: the record type; acceptance receipts by default, as every receipt was before declarations. */
export interface Receipt<R extends LogRecord = AcceptanceRecord> {
  format: typeof RECEIPT_FORMAT;
  /**
   * The evidence record, an acceptance or a declaration (its `format` says which); its
   * canonical JSON is leaf `leafIndex` of the log. Receipts of both types share this format.
   */
  record: R;
  leafIndex: number;
  /** Size of the tree the proof and checkpoint are for: that of the group commit that logged the record (at least leafIndex + 1). */
  treeSize: number;
  /** Merkle root of that tree, hex. */
  rootHash: string;
  /** RFC 9162 inclusion proof of the leaf in that tree, hex hashes from the leaf upwards. */
  inclusionProof: string[];
  /** C2SP signed-note checkpoint of that tree. */
  checkpoint: string;
  /** Signing key: "<key name>+<C2SP key id hex>". */
  keyId: string;
  /**
   * Where the accepted document's exact bytes are archived for good
   * (`<site>/avv/documents/<documentSha256>.json`). Signed with the rest; receipts issued before
   * the archive existed have none and name the same file through `record.documentSha256`.
   */
  documentUrl?: string;
  /** Base64 of the signed bytes. */
  payload: string;
  /** Base64 Ed25519 signature over the payload bytes. */
  signature: string;
}

export type ReceiptBody<R extends LogRecord = AcceptanceRecord> = Omit<Receipt<R>, 'payload' | 'signature'>;

export function receiptPayload(body: ReceiptBody<LogRecord>): string {
  const { format, record, leafIndex, treeSize, rootHash, inclusionProof, checkpoint, keyId, documentUrl } = body;
  return canonicalJson({ format, record, leafIndex, treeSize, rootHash, inclusionProof, checkpoint, keyId, ...(documentUrl !== undefined && { documentUrl }) } as unknown as JsonValue);
}

export async function signReceipt<R extends LogRecord>(body: ReceiptBody<R>, privateKey: CryptoKey): Promise<Receipt<R>> {
  const payload = utf8(receiptPayload(body));
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, payload));
  return { ...body, payload: toBase64(payload), signature: toBase64(signature) };
}

export async function receiptKeyId(name: string, publicKeyRaw: Uint8Array<ArrayBuffer>): Promise<string> {
  return `${name}+${toHex(await noteKeyId({ name, publicKeyRaw }))}`;
}

export interface ReceiptVerification {
  /** All checks passed. */
  valid: boolean;
  checks: {
    /** The Ed25519 signature over `payload` is the key's. */
    signature: boolean;
    /** The displayed members are exactly the signed ones. */
    payload: boolean;
    /** The inclusion proof leads from the record's leaf hash to `rootHash`. */
    inclusion: boolean;
    /** The checkpoint is signed by the same key and names the same tree size and root. */
    checkpoint: boolean;
  };
  /** Leaf hash recomputed from the record (hex), when the record could be read. */
  leafHash: string | null;
  /** What failed, in English, one entry per failed check. */
  problems: string[];
}

/**
 * Checks a receipt (parsed JSON, untrusted) against the published public key, given as the
 * JWK from /api/ledger/public-key or the raw 32 bytes.
 */
export async function verifyReceipt(receipt: unknown, publicKey: JsonWebKey | Uint8Array<ArrayBuffer>): Promise<ReceiptVerification> {
  const result: ReceiptVerification = {
    valid: false,
    checks: { signature: false, payload: false, inclusion: false, checkpoint: false },
    leafHash: null,
    problems: [],
  };
  const shapeProblem = checkShape(receipt);
  if (shapeProblem) {
    result.problems.push(shapeProblem);
    return result;
  }
  const r = receipt as Receipt<LogRecord>;
  let raw: Uint8Array<ArrayBuffer>;
  let key: CryptoKey;
  try {
    raw = publicKey instanceof Uint8Array ? publicKey : base64UrlBytes(publicKey.x ?? '');
    key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    result.problems.push('the public key is not an Ed25519 key');
    return result;
  }

  let payloadBytes: Uint8Array<ArrayBuffer> | null = null;
  let signatureBytes: Uint8Array<ArrayBuffer> | null = null;
  try {
    payloadBytes = fromBase64(r.payload);
    signatureBytes = fromBase64(r.signature);
  } catch {
    result.problems.push('payload or signature is not base64');
  }
  if (payloadBytes && signatureBytes) {
    result.checks.signature = signatureBytes.length === 64 && (await crypto.subtle.verify('Ed25519', key, signatureBytes, payloadBytes));
    if (!result.checks.signature) result.problems.push('the signature does not match the payload and key');
    result.checks.payload = bytesEqual(payloadBytes, utf8(receiptPayload(r)));
    if (!result.checks.payload) result.problems.push('the receipt’s fields differ from the signed payload');
  }

  const leaf = await leafHash(utf8(canonicalJson(r.record as unknown as JsonValue)));
  result.leafHash = toHex(leaf);
  try {
    result.checks.inclusion = await verifyInclusion(r.leafIndex, r.treeSize, leaf, r.inclusionProof.map(fromHex), fromHex(r.rootHash));
  } catch {
    result.checks.inclusion = false;
  }
  if (!result.checks.inclusion) result.problems.push('the inclusion proof does not lead from the record to the root hash');

  const name = r.keyId.slice(0, r.keyId.lastIndexOf('+'));
  const checkpoint = await verifyCheckpoint(r.checkpoint, { name, publicKey: key, publicKeyRaw: raw });
  result.checks.checkpoint =
    checkpoint !== null &&
    r.keyId === (await receiptKeyId(name, raw)) &&
    checkpoint.size === r.treeSize &&
    toHex(checkpoint.rootHash) === r.rootHash.toLowerCase();
  if (!result.checks.checkpoint) result.problems.push('the checkpoint is not signed by this key for this tree size and root');

  result.valid = Object.values(result.checks).every(Boolean);
  return result;
}

function checkShape(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not a receipt (expected a JSON object)';
  const r = value as Record<string, unknown>;
  if (r.format !== RECEIPT_FORMAT) return `not a receipt (format is not "${RECEIPT_FORMAT}")`;
  const strings = ['rootHash', 'checkpoint', 'keyId', 'payload', 'signature'] as const;
  for (const name of strings) if (typeof r[name] !== 'string') return `"${name}" is missing or not text`;
  for (const name of ['leafIndex', 'treeSize'] as const) {
    if (typeof r[name] !== 'number' || !Number.isSafeInteger(r[name]) || (r[name] as number) < 0) return `"${name}" is not a whole number`;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(r.rootHash as string)) return '"rootHash" is not a SHA-256 hex digest';
  if (!Array.isArray(r.inclusionProof) || !r.inclusionProof.every((hash) => typeof hash === 'string' && /^[0-9a-fA-F]{64}$/.test(hash))) {
    return '"inclusionProof" is not a list of SHA-256 hex digests';
  }
  if (typeof r.record !== 'object' || r.record === null || Array.isArray(r.record)) return '"record" is not an object';
  if (!(r.keyId as string).includes('+')) return '"keyId" is not "<name>+<key id>"';
  return null;
}

function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
}

