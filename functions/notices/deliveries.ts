import { z } from 'zod';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { CLAIM_LEASE_MS } from './config.ts';

export type Channel = 'email' | 'webhook';

/** A delivery row as a consumer works with it after claiming it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  channel: Channel;
  recipientId: string;
  recipientAddress: string;
  lang: 'de' | 'en';
  /** Including the attempt just claimed. */
  attempts: number;
}

/** A recipient of one event, before its row exists. */
export interface NewDelivery {
  channel: Channel;
  recipientId: string;
  recipientAddress: string;
  lang: 'de' | 'en';
}

/**
 * The delivery id for (event, channel, recipient): derived, not random, so a dispatcher that
 * runs twice computes the same id and the UNIQUE row is inserted once.
 */
export async function deliveryId(eventId: string, channel: Channel, recipientId: string): Promise<string> {
  return `nd_${(await sha256Hex(`${eventId}\n${channel}\n${recipientId}`)).slice(0, 32)}`;
}

/**
 * Inserts the rows that do not exist yet (one D1 batch, one transaction) and returns the ids of
 * all given recipients, existing or new: re-sending an existing row's message is harmless
 * because only one claim can win.
 */
export async function insertDeliveries(db: D1Database, eventId: string, recipients: NewDelivery[], now: Date): Promise<string[]> {
  const ids = await Promise.all(recipients.map((recipient) => deliveryId(eventId, recipient.channel, recipient.recipientId)));
  if (recipients.length === 0) return ids;
  const statement = db.prepare(
    `INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, queued_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (event_id, channel, recipient_id) DO NOTHING`,
  );
  await db.batch(recipients.map((recipient, index) => statement.bind(ids[index]!, eventId, recipient.channel, recipient.recipientId, recipient.recipientAddress, recipient.lang, now.toISOString(), now.getTime())));
  return ids;
}

const ClaimedRow = z.object({
  id: z.string(),
  event_id: z.string(),
  channel: z.enum(['email', 'webhook']),
  recipient_id: z.string(),
  recipient_address: z.string(),
  lang: z.enum(['de', 'en']),
  attempts: z.number().int(),
});

/**
 * Takes each row for one attempt, in one D1 batch for a whole queue batch; null for a row that
 * is not to be tried now: already sent or failed, not due yet, or claimed by another consumer
 * whose lease still runs. Each UPDATE is atomic, so two messages for the same row never both
 * send. If D1 fails, nothing is claimed (the batch is one transaction) and this throws.
 */
export async function claimDeliveries(db: D1Database, ids: string[], now: Date): Promise<(ClaimedDelivery | null)[]> {
  if (ids.length === 0) return [];
  const at = now.getTime();
  const statement = db.prepare(
    `UPDATE notice_deliveries SET state = 'sending', attempts = attempts + 1, lease_until = ?1, last_attempt_at = ?2
     WHERE id = ?3 AND ((state IN ('queued', 'retry') AND next_attempt_at <= ?4) OR (state = 'sending' AND lease_until <= ?4))
     RETURNING id, event_id, channel, recipient_id, recipient_address, lang, attempts`,
  );
  const results = await db.batch(ids.map((id) => statement.bind(at + CLAIM_LEASE_MS, now.toISOString(), id, at)));
  return results.map(({ results: rows }) => {
    const row = rows[0];
    if (row === undefined) return null;
    const claimed = ClaimedRow.parse(row);
    return { id: claimed.id, eventId: claimed.event_id, channel: claimed.channel, recipientId: claimed.recipient_id, recipientAddress: claimed.recipient_address, lang: claimed.lang, attempts: claimed.attempts };
  });
}

/** What an attempt achieved, as the evidence records it. */
export type AttemptOutcome =
  | { kind: 'sent'; at: Date; receivedOn: string; objectionDeadline: string | null; messageId?: string; httpStatus?: number }
  | { kind: 'retry'; nextAttemptAt: Date; error: string; httpStatus?: number }
  | { kind: 'failed'; error: string; httpStatus?: number };

/** Records the outcome of the attempt this consumer claimed (and only if it still holds it). */
export function recordOutcome(db: D1Database, id: string, outcome: AttemptOutcome): D1PreparedStatement {
  switch (outcome.kind) {
    case 'sent':
      return db
        .prepare(
          `UPDATE notice_deliveries SET state = 'sent', sent_at = ?, received_on = ?, objection_deadline = ?, message_id = ?, http_status = ?, lease_until = NULL, last_error = NULL
           WHERE id = ? AND state = 'sending'`,
        )
        .bind(outcome.at.toISOString(), outcome.receivedOn, outcome.objectionDeadline, outcome.messageId ?? null, outcome.httpStatus ?? null, id);
    case 'retry':
      return db
        .prepare(`UPDATE notice_deliveries SET state = 'retry', next_attempt_at = ?, last_error = ?, http_status = ?, lease_until = NULL WHERE id = ? AND state = 'sending'`)
        .bind(outcome.nextAttemptAt.getTime(), outcome.error.slice(0, 500), outcome.httpStatus ?? null, id);
    case 'failed':
      return db
        .prepare(`UPDATE notice_deliveries SET state = 'failed', last_error = ?, http_status = ?, lease_until = NULL WHERE id = ? AND state = 'sending'`)
        .bind(outcome.error.slice(0, 500), outcome.httpStatus ?? null, id);
  }
}

/**
 * Rows whose next attempt is due but that have no message on the queue: scheduled retries,
 * claims whose consumer died (lease over), and queued rows whose message was lost (sendBatch
 * failed after the insert; an hour is far longer than any queue backlog we expect).
 */
export async function dueDeliveries(db: D1Database, now: Date, limit: number): Promise<string[]> {
  const at = now.getTime();
  const { results } = await db
    .prepare(
      `SELECT id FROM notice_deliveries
       WHERE (state = 'retry' AND next_attempt_at <= ?1) OR (state = 'sending' AND lease_until <= ?1) OR (state = 'queued' AND next_attempt_at <= ?2)
       ORDER BY next_attempt_at LIMIT ?3`,
    )
    .bind(at, at - 3600_000, limit)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}
