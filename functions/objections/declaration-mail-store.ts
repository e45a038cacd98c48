import { z } from 'zod';

/** The two mails a declaration causes (migration 0011, retried since 0016). */
export type DeclarationMailPurpose = 'receipt' | 'vendor-notice';

/** What a retry needs to rebuild the mail: the receipt as issued, its capability's hash (the key is derived again) and the change. */
export const DueDeclarationMailSchema = z.object({
  record_id: z.string(),
  purpose: z.enum(['receipt', 'vendor-notice']),
  recipient: z.string(),
  attempts: z.number().int(),
  lang: z.enum(['de', 'en']),
  change_id: z.string(),
  receipt_key_sha256: z.string(),
  receipt_json: z.string(),
});
export type DueDeclarationMail = z.output<typeof DueDeclarationMailSchema>;

/**
 * Claims the next attempt: creates the row on the first one, otherwise moves a `retry` row to
 * `sending`. False when another run holds it or it is settled, so a mail is never sent twice at once.
 */
export async function claimDeclarationMail(db: D1Database, recordId: string, purpose: DeclarationMailPurpose, recipient: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const inserted = await db
    .prepare("INSERT INTO declaration_mails (record_id, purpose, recipient, state, attempts, created_at, last_attempt_at) VALUES (?, ?, ?, 'sending', 1, ?, ?) ON CONFLICT (record_id, purpose) DO NOTHING")
    .bind(recordId, purpose, recipient, at, at)
    .run();
  if (inserted.meta.changes === 1) return true;
  const claimed = await db
    .prepare("UPDATE declaration_mails SET state = 'sending', attempts = attempts + 1, last_attempt_at = ? WHERE record_id = ? AND purpose = ? AND state = 'retry'")
    .bind(at, recordId, purpose)
    .run();
  return claimed.meta.changes === 1;
}

export async function markDeclarationMailSent(db: D1Database, recordId: string, purpose: DeclarationMailPurpose, messageId: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE declaration_mails SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE record_id = ? AND purpose = ?")
    .bind(now.toISOString(), messageId, recordId, purpose)
    .run();
}

/** After a failed attempt: `retry` until the last attempt, then `failed`. */
export async function markDeclarationMailFailed(db: D1Database, recordId: string, purpose: DeclarationMailPurpose, error: string, state: 'retry' | 'failed'): Promise<void> {
  await db.prepare('UPDATE declaration_mails SET state = ?, last_error = ? WHERE record_id = ? AND purpose = ?').bind(state, error.slice(0, 500), recordId, purpose).run();
}

/** Declaration mails waiting for another attempt, with what is needed to rebuild them. */
export async function dueDeclarationMails(db: D1Database, limit = 50): Promise<DueDeclarationMail[]> {
  const { results } = await db
    .prepare(
      `SELECT m.record_id, m.purpose, m.recipient, m.attempts, d.lang, d.change_id, d.receipt_key_sha256, d.receipt_json
       FROM declaration_mails m JOIN declarations d ON d.record_id = m.record_id WHERE m.state = 'retry' ORDER BY m.last_attempt_at LIMIT ?`,
    )
    .bind(limit)
    .all();
  return results.map((row) => DueDeclarationMailSchema.parse(row));
}
