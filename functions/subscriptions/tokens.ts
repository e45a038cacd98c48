import { z } from 'zod';
import { CONFIRMATION_LINK_HOURS } from '../../src/domain/confirmation-links.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { toBase64Url } from '../../src/domain/signing-key.ts';
import { constantTimeEqual } from '../lib/admin-auth.ts';

/** A confirmation token as mailed: 256 bits, base64url. */
export const ConfirmationTokenSchema = z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_-]{43}$/, { error: 'is not a confirmation token' });
/** An unsubscribe token: HMAC-SHA-256, base64url. */
export const UnsubscribeTokenSchema = z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_-]{43}$/, { error: 'is not an unsubscribe token' });
/** A subscriber id: `sub_` and 128 random bits, base64url. */
export const SubscriberIdSchema = z.string({ error: 'is required' }).regex(/^sub_[A-Za-z0-9_-]{22}$/, { error: 'is not a subscriber id' });

/** How long a confirmation link works (one value for pages, mails and the store). */
export const CONFIRMATION_TOKEN_HOURS = CONFIRMATION_LINK_HOURS;

/** A fresh single-use confirmation token (256 random bits) and the hash we store instead of it. */
export async function newConfirmationToken(): Promise<{ token: string; sha256: string }> {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { token, sha256: await confirmationTokenHash(token) };
}

export function confirmationTokenHash(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Thrown when SUBSCRIPTION_SECRET is not set: no unsubscribe link could be made or checked. */
export class SubscriptionSecretMissingError extends Error {
  override name = 'SubscriptionSecretMissingError';
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

/**
 * HMAC-SHA256(SUBSCRIPTION_SECRET, "unsubscribe:" + subscriberId), base64url: derivable at send
 * time for every notice without storing a token per mail, and valid for as long as the secret.
 */
export async function unsubscribeToken(env: Env, subscriberId: string): Promise<string> {
  const secret = env.SUBSCRIPTION_SECRET;
  if (!secret) throw new SubscriptionSecretMissingError('SUBSCRIPTION_SECRET is not set');
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(`unsubscribe:${subscriberId}`));
  return toBase64Url(new Uint8Array(mac));
}

export async function isValidUnsubscribeToken(env: Env, subscriberId: string, token: string): Promise<boolean> {
  if (subscriberId === '' || token === '' || subscriberId.length > 100 || token.length > 100) return false;
  return constantTimeEqual(await unsubscribeToken(env, subscriberId), token);
}
