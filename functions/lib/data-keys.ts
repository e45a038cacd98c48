import { fromBase64 } from '../../src/domain/encoding.ts';
import { toBase64Url } from '../../src/domain/signing-key.ts';

/**
 * The keys that protect data at rest, from the Worker secret ENCRYPTION_KEYS:
 * `kid:base64(32 random bytes)`, several separated by commas, the first one current. Rotation
 * puts a new key first and keeps the old ones listed until nothing sealed with them is left;
 * every sealed value names its key id, so old values still open.
 *
 * Each use gets its own key derived by HKDF (RFC 5869) with a purpose label, so a keyed hash
 * in the rate-limit table can never be confused with an encryption of a webhook secret.
 */
export type KeyPurpose = 'webhook-secret' | 'rate-limit' | 'receipt-key' | 'dev-sign-in';

/** Thrown when ENCRYPTION_KEYS is missing or malformed: nothing secret can be stored safely. */
export class DataKeysMissingError extends Error {
  override name = 'DataKeysMissingError';
}

interface RawKey {
  id: string;
  /** The key as base64, as listed: names its derived keys in the cache. */
  base64: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * The keys of the ENCRYPTION_KEYS value last parsed: every acceptance asks for them three times
 * (two rate-limit buckets, its receipt capability), and the secret does not change within an
 * isolate, so it is parsed once per value, not per call.
 */
let parsed: { value: string; keys: RawKey[] } | undefined;

function rawKeys(env: Env): RawKey[] {
  const value = env.ENCRYPTION_KEYS;
  if (!value) throw new DataKeysMissingError('ENCRYPTION_KEYS is not set');
  if (parsed?.value === value) return parsed.keys;
  const keys = value.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)\s*$/.exec(entry);
    const bytes = match ? fromBase64(match[2]!) : null;
    if (!match || !bytes || bytes.length !== 32) throw new DataKeysMissingError('ENCRYPTION_KEYS must be kid:base64 of 32 bytes, comma-separated');
    return { id: match[1]!, base64: match[2]!, bytes };
  });
  parsed = { value, keys };
  return keys;
}

const derived = new Map<string, Promise<CryptoKey>>();

function derive(raw: RawKey, purpose: KeyPurpose, algorithm: 'AES-GCM' | 'HMAC'): Promise<CryptoKey> {
  const cacheKey = `${raw.base64}\n${purpose}\n${algorithm}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', raw.bytes, 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: new TextEncoder().encode(`trust-center:${purpose}`) };
      return algorithm === 'AES-GCM'
        ? crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
        : crypto.subtle.deriveKey(params, base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
    })();
    derived.set(cacheKey, key);
  }
  return key;
}

/** Every key id listed, the current one first. */
export function keyIds(env: Env): string[] {
  return rawKeys(env).map((key) => key.id);
}

/** The current key id (the first listed). */
export function currentKeyId(env: Env): string {
  return rawKeys(env)[0]!.id;
}

function keyById(env: Env, id: string): RawKey {
  const key = rawKeys(env).find((candidate) => candidate.id === id);
  if (!key) throw new DataKeysMissingError(`key "${id}" is no longer in ENCRYPTION_KEYS`);
  return key;
}

/**
 * AES-256-GCM with a fresh 96-bit nonce, as `kid.base64url(nonce ‖ ciphertext)`. The purpose
 * and key id are bound as additional data, so a value cannot be moved to another column.
 */
export async function seal(env: Env, purpose: KeyPurpose, plaintext: string): Promise<string> {
  const raw = rawKeys(env)[0]!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`${purpose}:${raw.id}`) },
    await derive(raw, purpose, 'AES-GCM'),
    new TextEncoder().encode(plaintext),
  );
  const joined = new Uint8Array(12 + ciphertext.byteLength);
  joined.set(iv);
  joined.set(new Uint8Array(ciphertext), 12);
  return `${raw.id}.${toBase64Url(joined)}`;
}

/** Opens what `seal` produced; throws when the key is gone or the value was altered. */
export async function open(env: Env, purpose: KeyPurpose, sealed: string): Promise<string> {
  const dot = sealed.indexOf('.');
  if (dot < 1) throw new TypeError('not a sealed value');
  const raw = keyById(env, sealed.slice(0, dot));
  const bytes = fromBase64(sealed.slice(dot + 1).replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil((sealed.length - dot - 1) / 4) * 4, '='));
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(`${purpose}:${raw.id}`) },
    await derive(raw, purpose, 'AES-GCM'),
    bytes.slice(12),
  );
  return new TextDecoder().decode(plaintext);
}

/** HMAC-SHA-256 under the purpose key of `keyId` (default: the current key), base64url. */
export async function keyedHash(env: Env, purpose: KeyPurpose, data: string, keyId?: string): Promise<string> {
  const raw = keyId === undefined ? rawKeys(env)[0]! : keyById(env, keyId);
  const mac = await crypto.subtle.sign('HMAC', await derive(raw, purpose, 'HMAC'), new TextEncoder().encode(data));
  return toBase64Url(new Uint8Array(mac));
}
