import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { problem } from './problem.ts';
import { publicKeyPem } from '../src/domain/signing-key.ts';
import { publishedManifest } from './published-manifest.ts';

/**
 * `GET /.well-known/trust-center/receipt-key.pem`: the Ed25519 public key that signs receipts
 * and checkpoints, as SPKI PEM for `openssl pkeyutl -verify -pubin -inkey`. Mounted by the
 * Worker before the static site, since the key comes from a secret, not from the build.
 */
export const receiptKeyPem = new Hono<AppEnv>().get('/', async (c) => {
  try {
    const key = await logKey(c.env, await publishedManifest(c.env, c.req.url));
    return c.body(publicKeyPem(key.publicKeyRaw), 200, { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=300' });
  } catch (error) {
    if (error instanceof NotConfiguredError) {
      return problem(c, 503, 'Receipt signing is not configured', { type: problemType('not-configured'), detail: 'Set the RECEIPT_SIGNING_KEY secret.' });
    }
    throw error;
  }
})
  // A key file: read, never written (a POST here would otherwise fall through to the site's 404).
  .all('/', methodNotAllowed('GET', 'HEAD'));
