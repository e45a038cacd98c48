import { z } from 'zod';

/** One recipient of one event's notice, with the deadline stored at delivery. */
export const RecipientRowSchema = z.object({
  channel: z.enum(['email', 'webhook']),
  recipient: z.string(),
  lang: z.enum(['de', 'en']),
  state: z.enum(['queued', 'sending', 'retry', 'sent', 'failed']),
  attempts: z.number().int(),
  sentAt: z.string().nullable(),
  receivedOn: z.string().nullable(),
  deadline: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type RecipientRow = z.output<typeof RecipientRowSchema>;

export async function recipientsOfEvent(db: D1Database, eventId: string, limit: number): Promise<RecipientRow[]> {
  const { results } = await db
    .prepare(
      `SELECT channel, recipient_address AS recipient, lang, state, attempts, sent_at AS sentAt, received_on AS receivedOn, objection_deadline AS deadline, last_error AS lastError
       FROM notice_deliveries WHERE event_id = ? ORDER BY channel, recipient_address LIMIT ?`,
    )
    .bind(eventId, limit)
    .all();
  return results.map((row) => RecipientRowSchema.parse(row));
}
