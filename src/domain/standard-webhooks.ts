import { fromBase64, toBase64, utf8 } from './encoding.ts';

/**
 * Signing per the Standard Webhooks specification (standardwebhooks.com): the secret is
 * `whsec_` + base64 of the key bytes; the signature is `v1,` + base64 of
 * HMAC-SHA256(key, `${id}.${timestamp}.${body}`), the timestamp in whole seconds since the epoch.
 */
export const SECRET_PREFIX = 'whsec_';

/** A fresh endpoint secret: 24 random bytes (the spec asks for 24 to 64). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

/** The `webhook-signature` header value for one delivery attempt. */
export async function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new RangeError('webhook secret must start with whsec_');
  const key = await crypto.subtle.importKey('raw', fromBase64(secret.slice(SECRET_PREFIX.length)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, utf8(`${id}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of a delivery; `id` stays the same on every retry so receivers can dedupe. */
export async function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': await webhookSignature(secret, id, timestampSeconds, body),
  };
}
