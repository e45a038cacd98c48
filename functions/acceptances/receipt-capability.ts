import { sha256Hex } from '../../src/domain/sha256.ts';
import { keyedHash, keyIds } from '../lib/data-keys.ts';

/**
 * The capability that makes a receipt readable by URL (`?key=`). It is derived, not drawn:
 * HMAC-SHA-256 of the record id under the data key (ENCRYPTION_KEYS, purpose "receipt-key"),
 * and D1 keeps only its SHA-256 (migration 0013). So a copy of the database opens no receipt,
 * yet the Worker can hand the key again to a replay of the same submission (the client that
 * lost the first answer) and to a retried receipt mail, without having stored it.
 */
export function receiptCapability(env: Env, recordId: string, keyId?: string): Promise<string> {
  return keyedHash(env, 'receipt-key', `receipt\n${recordId}`, keyId);
}

/** What D1 stores of a capability, and what the witness records (ledger-witness.ts). */
export function capabilityHash(capability: string): Promise<string> {
  return sha256Hex(capability);
}

/**
 * The capability issued with a stored record, derived again: under the data key it was issued
 * with (the current one, or an older one still listed after a rotation). Null when none gives
 * the stored hash — a record from before migration 0013, whose key was random.
 */
export async function reissuedCapability(env: Env, recordId: string, storedHash: string | null): Promise<string | null> {
  if (storedHash === null) return null;
  for (const keyId of keyIds(env)) {
    const capability = await receiptCapability(env, recordId, keyId);
    if ((await capabilityHash(capability)) === storedHash) return capability;
  }
  return null;
}
