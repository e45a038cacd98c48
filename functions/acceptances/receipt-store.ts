import { z } from 'zod';
import type { Receipt } from '../../src/domain/receipt.ts';
import { constantTimeEqual } from '../lib/admin-auth.ts';

/**
 * The receipt of one acceptance, if `receiptKey` is the capability issued with it. Receipts
 * carry personal data, so the record id alone (which appears in logs and URLs) is not enough.
 * Used by GET /api/acceptances/:id/receipt and by the server-rendered receipt page.
 */
export async function loadReceipt(env: Env, recordId: string, receiptKey: string): Promise<Receipt | null> {
  const json = await loadReceiptJson(env, recordId, receiptKey);
  return json === null ? null : (JSON.parse(json) as Receipt);
}

const ReceiptRow = z.object({ receipt_key: z.string(), receipt_json: z.string() });

/** The receipt's exact bytes as issued (the download serves them unchanged). */
export async function loadReceiptJson(env: Env, recordId: string, receiptKey: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(recordId) || receiptKey.length === 0 || receiptKey.length > 100) return null;
  const raw = await env.DB.prepare('SELECT receipt_key, receipt_json FROM acceptances WHERE record_id = ?').bind(recordId).first();
  if (!raw) return null;
  const row = ReceiptRow.parse(raw);
  if (!(await constantTimeEqual(row.receipt_key, receiptKey))) return null;
  // Redacted after its retention period (functions/retention/redact.ts): the receipt is gone.
  return row.receipt_json === '' ? null : row.receipt_json;
}
