import { z } from 'zod';
import type { DeclarationRecord } from '../../src/domain/declaration-record.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { constantTimeEqual } from '../lib/admin-auth.ts';
import { capabilityHash } from './receipt-capability.ts';
import { parseStoredDeclarationReceipt, parseStoredReceipt, storedReceiptIsDeclaration } from './stored-receipt.ts';

/**
 * The receipt of one acceptance, if `receiptKey` is the capability issued with it. Receipts
 * carry personal data, so the record id alone (which appears in logs and URLs) is not enough.
 * Used by GET /api/acceptances/:id/receipt and by the server-rendered receipt page.
 */
export async function loadReceipt(env: Env, recordId: string, receiptKey: string): Promise<Receipt | null> {
  const json = await loadReceiptJson(env, recordId, receiptKey);
  // A declaration's receipt opens on its own page, not on the acceptance receipt page.
  return json === null || storedReceiptIsDeclaration(json) ? null : parseStoredReceipt(json);
}

/** The receipt of one declaration on a change, on the same terms (the declaration receipt page). */
export async function loadDeclarationReceipt(env: Env, recordId: string, receiptKey: string): Promise<Receipt<DeclarationRecord> | null> {
  const json = await loadReceiptJson(env, recordId, receiptKey);
  return json === null || !storedReceiptIsDeclaration(json) ? null : parseStoredDeclarationReceipt(json);
}

const ReceiptRow = z.object({
  /** SHA-256 of the capability; null on a pre-0013 record whose key is not hashed yet. */
  receipt_key_sha256: z.string().nullable(),
  /** The pre-0013 key itself, until the cron hashes it (receipt_keys_unhashed). */
  unhashed_key: z.string().nullable(),
  receipt_json: z.string(),
});

/**
 * The receipt's exact bytes as issued (the download serves them unchanged), of either record
 * type of the log: acceptances and declarations (migration 0011, always with a hashed key).
 */
export async function loadReceiptJson(env: Env, recordId: string, receiptKey: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(recordId) || receiptKey.length === 0 || receiptKey.length > 100) return null;
  const raw = await env.DB.prepare(
    `SELECT a.receipt_key_sha256, u.receipt_key AS unhashed_key, a.receipt_json FROM acceptances a LEFT JOIN receipt_keys_unhashed u ON u.record_id = a.record_id WHERE a.record_id = ?1
     UNION ALL SELECT receipt_key_sha256, NULL, receipt_json FROM declarations WHERE record_id = ?1`,
  )
    .bind(recordId)
    .first();
  if (!raw) return null;
  const row = ReceiptRow.parse(raw);
  const expected = row.receipt_key_sha256 ?? (row.unhashed_key === null ? null : await capabilityHash(row.unhashed_key));
  // Hashes of equal length, compared in constant time: the stored value says nothing about the key.
  if (expected === null || !(await constantTimeEqual(expected, await capabilityHash(receiptKey)))) return null;
  // Redacted after its retention period (functions/retention/redact.ts): the receipt is gone.
  return row.receipt_json === '' ? null : row.receipt_json;
}

const UnhashedKeyRow = z.object({ record_id: z.string(), receipt_key: z.string() });

/**
 * Hashes the receipt keys of records from before migration 0013 and deletes them in clear
 * (run by the Cron Trigger until none is left; a no-op afterwards). Each key's hash and its
 * deletion go in one transaction, so a key is never lost nor kept twice.
 */
export async function hashLegacyReceiptKeys(db: D1Database, limit = 500): Promise<number> {
  const { results } = await db.prepare('SELECT record_id, receipt_key FROM receipt_keys_unhashed LIMIT ?').bind(limit).all();
  const rows = results.map((row) => UnhashedKeyRow.parse(row));
  if (rows.length === 0) return 0;
  const statements = await Promise.all(
    rows.map(async (row) => [
      db.prepare('UPDATE acceptances SET receipt_key_sha256 = ? WHERE record_id = ? AND receipt_key_sha256 IS NULL').bind(await capabilityHash(row.receipt_key), row.record_id),
      db.prepare('DELETE FROM receipt_keys_unhashed WHERE record_id = ?').bind(row.record_id),
    ]),
  );
  await db.batch(statements.flat());
  return rows.length;
}
