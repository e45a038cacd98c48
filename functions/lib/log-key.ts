import { logOrigin, type LogKey } from '../../src/domain/acceptance-log.ts';
import { receiptKeyId } from '../../src/domain/receipt.ts';
import { importSigningKey } from '../../src/domain/signing-key.ts';
import type { Manifest } from '../../src/domain/manifest.ts';

const cache = new Map<string, Promise<LogKey>>();
const keyIds = new WeakMap<LogKey, Promise<string>>();

/** Thrown when RECEIPT_SIGNING_KEY is not set: acceptances cannot be receipted, so none are taken. */
export class NotConfiguredError extends Error {
  override name = 'NotConfiguredError';
}

/**
 * The log's signing key (secret RECEIPT_SIGNING_KEY) named by the log origin of the published
 * site. Imported once per isolate and secret value.
 */
export function logKey(env: Env, manifest: Manifest): Promise<LogKey> {
  return namedLogKey(env, logOrigin(manifest.siteUrl));
}

/** The log key under a log name already known (the sequencer gets it with each append). */
export function namedLogKey(env: Env, name: string): Promise<LogKey> {
  const secret = env.RECEIPT_SIGNING_KEY;
  if (!secret) return Promise.reject(new NotConfiguredError('RECEIPT_SIGNING_KEY is not set'));
  const cacheKey = `${name}\n${secret}`;
  let key = cache.get(cacheKey);
  if (!key) {
    key = importSigningKey(secret).then((imported) => ({ ...imported, name }));
    key.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, key);
  }
  return key;
}

/**
 * The receipt key id of a log key (receiptKeyId: a SHA-256 over name and public key), once per
 * imported key rather than on every append: the keys above are the same objects for the isolate.
 */
export function logKeyId(key: LogKey): Promise<string> {
  let id = keyIds.get(key);
  if (!id) {
    id = receiptKeyId(key.name, key.publicKeyRaw);
    keyIds.set(key, id);
  }
  return id;
}
