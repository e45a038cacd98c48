import { z } from 'zod';

/** What a retry needs to rebuild the mail: the receipt as issued and its capability's hash (the key is derived again). */
export const DueReceiptMailSchema = z.object({
  record_id: z.string(),
  recipient: z.string(),
  attempts: z.number().int(),
  lang: z.enum(['de', 'en']),
  receipt_key_sha256: z.string().nullable(),
  receipt_json: z.string(),
});
export type DueReceiptMail = z.output<typeof DueReceiptMailSchema>;

/**
 * Claims the next attempt: creates the row on the first one, otherwise moves a `retry` row to
 * `sending`. False when another run holds it or it is settled, so a mail is never sent twice
 * at once.
 */
export async function claimReceiptMail(db: D1Database, recordId: string, recipient: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const inserted = await db
    .prepare("INSERT INTO receipt_mails (record_id, recipient, state, attempts, created_at, last_attempt_at) VALUES (?, ?, 'sending', 1, ?, ?) ON CONFLICT (record_id) DO NOTHING")
    .bind(recordId, recipient, at, at)
    .run();
  if (inserted.meta.changes === 1) return true;
  const claimed = await db
    .prepare("UPDATE receipt_mails SET state = 'sending', attempts = attempts + 1, last_attempt_at = ? WHERE record_id = ? AND state = 'retry'")
    .bind(at, recordId)
    .run();
  return claimed.meta.changes === 1;
}

export async function markReceiptMailSent(db: D1Database, recordId: string, messageId: string, now: Date): Promise<void> {
  await db.prepare("UPDATE receipt_mails SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE record_id = ?").bind(now.toISOString(), messageId, recordId).run();
}

/** After a failed attempt: `retry` until the last attempt, then `failed`. */
export async function markReceiptMailFailed(db: D1Database, recordId: string, error: string, state: 'retry' | 'failed'): Promise<void> {
  await db.prepare('UPDATE receipt_mails SET state = ?, last_error = ? WHERE record_id = ?').bind(state, error.slice(0, 500), recordId).run();
}

/** Receipt mails waiting for another attempt, with what is needed to rebuild them. */
export async function dueReceiptMails(db: D1Database, limit = 50): Promise<DueReceiptMail[]> {
  const { results } = await db
    .prepare(
      "SELECT m.record_id, m.recipient, m.attempts, a.lang, a.receipt_key_sha256, a.receipt_json FROM receipt_mails m JOIN acceptances a ON a.record_id = m.record_id WHERE m.state = 'retry' ORDER BY m.last_attempt_at LIMIT ?",
    )
    .bind(limit)
    .all();
  return results.map((row) => DueReceiptMailSchema.parse(row));
}
