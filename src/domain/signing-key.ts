import { fromBase64, toBase64 } from './encoding.ts';

/**
 * The Ed25519 key that signs receipts and log checkpoints. The Worker gets it from the secret
 * RECEIPT_SIGNING_KEY, which holds either a PKCS#8 private key (PEM as printed by
 * `openssl genpkey -algorithm ed25519`, or its DER as one base64 line) or a private JWK
 * (`{"kty":"OKP","crv":"Ed25519","d":…,"x":…}`). Pure WebCrypto (Node, workerd, browsers).
 */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The 32-byte public key, as C2SP key ids and the PEM/JWK publications need it. */
  publicKeyRaw: Uint8Array<ArrayBuffer>;
}

const ED25519 = { name: 'Ed25519' } as const;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export async function importSigningKey(secret: string): Promise<SigningKey> {
  const text = secret.trim();
  let privateKey: CryptoKey;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JsonWebKey;
      privateKey = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, d: jwk.d, x: jwk.x }, ED25519, true, ['sign']);
    } else {
      const base64 = text.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '');
      privateKey = await crypto.subtle.importKey('pkcs8', fromBase64(base64), ED25519, true, ['sign']);
    }
  } catch (error) {
    throw new SigningKeyError(`RECEIPT_SIGNING_KEY is not an Ed25519 private key (PKCS#8 PEM/base64 or JWK): ${error instanceof Error ? error.message : String(error)}`);
  }
  const { x } = await crypto.subtle.exportKey('jwk', privateKey);
  if (!x) throw new SigningKeyError('RECEIPT_SIGNING_KEY has no public part');
  const publicKeyRaw = fromBase64Url(x);
  return { privateKey, publicKey: await importPublicKey(publicKeyRaw), publicKeyRaw };
}

export function importPublicKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, ED25519, true, ['verify']);
}

/** A fresh key as the secret's base64 PKCS#8 form: `npm start` writes it to .dev.vars, tests use it. */
export async function generateSigningKeySecret(): Promise<string> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
}

/** SubjectPublicKeyInfo PEM, what `openssl pkeyutl -verify -pubin -inkey` reads. */
export function publicKeyPem(raw: Uint8Array): string {
  const der = new Uint8Array(SPKI_PREFIX.length + raw.length);
  der.set(SPKI_PREFIX);
  der.set(raw, SPKI_PREFIX.length);
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/**
 * The raw 32-byte key of an Ed25519 public key in SPKI PEM (what `openssl pkey -pubout` prints
 * and /.well-known/trust-center/receipt-key.pem serves); null when it is not one.
 */
export function publicKeyFromPem(pem: string): Uint8Array<ArrayBuffer> | null {
  const match = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem);
  if (!match) return null;
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = fromBase64(match[1]!.replace(/\s+/g, ''));
  } catch {
    return null;
  }
  if (der.length !== SPKI_PREFIX.length + 32 || !SPKI_PREFIX.every((byte, index) => der[index] === byte)) return null;
  return der.slice(SPKI_PREFIX.length);
}

/** Public JWK (RFC 8037), what `crypto.subtle.importKey('jwk', …)` reads in a browser. */
export function publicKeyJwk(raw: Uint8Array): JsonWebKey {
  return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(raw) };
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
}
