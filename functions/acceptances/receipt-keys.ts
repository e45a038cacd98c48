import { sha256Hex } from '../../src/domain/sha256.ts';
import { constantTimeEqual } from '../lib/admin-auth.ts';
import { currentKeyId, keyedHash } from '../lib/data-keys.ts';

/**
 * Receipt capability keys. The key in a receipt link is derived, never stored: an HMAC of the
 * record id under a key from ENCRYPTION_KEYS, prefixed with that key's id so it can be derived
 * again for a repeated submission (which must answer with the same link). The database keeps
 * only `kid:SHA-256(key)`: a copy of the table opens no receipt.
 */
export interface IssuedReceiptKey {
  /** What goes into the receipt link. */
  key: string;
  /** What `acceptances.receipt_key` stores. */
  stored: string;
}

async function derive(env: Env, recordId: string, keyId: string): Promise<string> {
  // 128 bits of the MAC are plenty for a capability and keep the link short.
  return `${keyId}.${(await keyedHash(env, 'receipt-key', recordId, keyId)).slice(0, 22)}`;
}

export async function issueReceiptKey(env: Env, recordId: string): Promise<IssuedReceiptKey> {
  const keyId = currentKeyId(env);
  const key = await derive(env, recordId, keyId);
  return { key, stored: `${keyId}:${await sha256Hex(key)}` };
}

/** The link key of a stored record again (for the answer to a repeated submission). */
export async function reissueReceiptKey(env: Env, recordId: string, stored: string): Promise<string> {
  const colon = stored.indexOf(':');
  // Rows written before keys were hashed hold the key itself.
  if (colon < 0) return stored;
  return derive(env, recordId, stored.slice(0, colon));
}

/** Whether `key` opens the record whose `receipt_key` column is `stored`. */
export async function receiptKeyMatches(key: string, stored: string): Promise<boolean> {
  const colon = stored.indexOf(':');
  if (colon < 0) return constantTimeEqual(key, stored);
  return constantTimeEqual(await sha256Hex(key), stored.slice(colon + 1));
}
