import { Hono } from 'hono';
import { receiptKeyId } from '../src/domain/receipt.ts';
import { publicKeyFromPem, publicKeyJwk, publicKeyPem } from '../src/domain/signing-key.ts';
import type { AppEnv } from './app-env.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { publishedManifest } from './published-manifest.ts';

/**
 * `GET /.well-known/trust-center/receipt-keys.json`: every public key that signs or signed
 * receipts, with the key id receipts name and its validity period. Retired keys come from the
 * content (content/receipt-keys/, via the manifest), so no deploy can drop them; the key in use
 * comes from the secret and is marked `active` (listed with `validFrom: null` when nobody has
 * committed it to the content yet, which `archived: false` tells the operator).
 */
export const receiptKeys = new Hono<AppEnv>().get('/', async (c) => {
  const manifest = await publishedManifest(c.env, c.req.url);
  let active: { keyId: string; publicKey: string } | null = null;
  try {
    const key = await logKey(c.env, manifest);
    active = { keyId: await receiptKeyId(key.name, key.publicKeyRaw), publicKey: publicKeyPem(key.publicKeyRaw) };
  } catch (error) {
    if (!(error instanceof NotConfiguredError)) throw error;
  }
  const archived = manifest.receiptKeys.some((key) => key.keyId === active?.keyId);
  const keys = [
    ...manifest.receiptKeys.map((key) => ({ ...key, validUntil: key.validUntil ?? null, active: key.keyId === active?.keyId })),
    ...(active && !archived ? [{ ...active, validFrom: null, validUntil: null, active: true }] : []),
  ].map((key) => ({ ...key, jwk: publicKeyJwk(publicKeyFromPem(key.publicKey)!) }));
  return c.json(
    { activeKeyId: active?.keyId ?? null, archived: active === null || archived, keys },
    200,
    { 'cache-control': 'public, max-age=300' },
  );
})
  // A key file: read, never written (a POST here would otherwise fall through to the site's 404).
  .all('/', methodNotAllowed('GET', 'HEAD'));
