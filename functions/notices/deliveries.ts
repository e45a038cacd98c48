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
 * Inserts the rows that do not exist yet and returns the ids of all given recipients, existing
 * or new: re-sending an existing row's message is harmless because only one claim can win. One
 * statement for the whole page (its rows as one JSON parameter): D1 allows 100 bound
 * parameters per statement, and one statement is one round trip and one implicit transaction.
 */
export async function insertDeliveries(db: D1Database, eventId: string, recipients: NewDelivery[], now: Date): Promise<string[]> {
  const ids = await Promise.all(recipients.map((recipient) => deliveryId(eventId, recipient.channel, recipient.recipientId)));
  if (recipients.length === 0) return ids;
  const rows = recipients.map((recipient, index) => [ids[index]!, recipient.channel, recipient.recipientId, recipient.recipientAddress, recipient.lang]);
  await db
    .prepare(
      `INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, queued_at, next_attempt_at)
       SELECT json_extract(value, '$[0]'), ?1, json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), 'queued', ?2, ?3
       FROM json_each(?4) WHERE true
       ON CONFLICT (event_id, channel, recipient_id) DO NOTHING`,
    )
    .bind(eventId, now.toISOString(), now.getTime(), JSON.stringify(rows))
    .run();
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
 * Takes each row for one attempt, in one statement for a whole queue batch; null for a row that
 * is not to be tried now: already sent or failed, not due yet, or claimed by another consumer
 * whose lease still runs. The UPDATE is atomic, so two consumers never both claim a row, and an
 * id that occurs twice in `ids` is claimed for its first occurrence only. If D1 fails, nothing
 * is claimed and this throws.
 */
export async function claimDeliveries(db: D1Database, ids: string[], now: Date): Promise<(ClaimedDelivery | null)[]> {
  if (ids.length === 0) return [];
  const at = now.getTime();
  const { results } = await db
    .prepare(
      `UPDATE notice_deliveries SET state = 'sending', attempts = attempts + 1, lease_until = ?1, last_attempt_at = ?2
       WHERE id IN (SELECT value FROM json_each(?3)) AND ((state IN ('queued', 'retry') AND next_attempt_at <= ?4) OR (state = 'sending' AND lease_until <= ?4))
       RETURNING id, event_id, channel, recipient_id, recipient_address, lang, attempts`,
    )
    .bind(at + CLAIM_LEASE_MS, now.toISOString(), JSON.stringify(ids), at)
    .all();
  const claimed = new Map(
    results.map((row) => {
      const parsed = ClaimedRow.parse(row);
      const delivery: ClaimedDelivery = { id: parsed.id, eventId: parsed.event_id, channel: parsed.channel, recipientId: parsed.recipient_id, recipientAddress: parsed.recipient_address, lang: parsed.lang, attempts: parsed.attempts };
      return [parsed.id, delivery];
    }),
  );
  return ids.map((id) => {
    const delivery = claimed.get(id) ?? null;
    claimed.delete(id);
    return delivery;
  });
}

/** What an attempt achieved, as the evidence records it. */
export type AttemptOutcome =
  | { kind: 'sent'; at: Date; receivedOn: string; objectionDeadline: string | null; messageId?: string; httpStatus?: number }
  | { kind: 'retry'; nextAttemptAt: Date; error: string; httpStatus?: number }
  | { kind: 'failed'; error: string; httpStatus?: number };

/**
 * Records the outcomes of the attempts this consumer claimed (and only where it still holds the
 * claim): one statement per kind of outcome, each row's values in one JSON parameter, run as
 * one D1 batch (one transaction).
 */
export async function recordOutcomes(db: D1Database, outcomes: { id: string; outcome: AttemptOutcome }[]): Promise<void> {
  const of = <K extends AttemptOutcome['kind']>(kind: K) => outcomes.flatMap(({ id, outcome }) => (outcome.kind === kind ? [{ id, outcome: outcome as Extract<AttemptOutcome, { kind: K }> }] : []));
  const statements: D1PreparedStatement[] = [];
  const sent = of('sent');
  if (sent.length > 0) {
    const rows = sent.map(({ id, outcome }) => [id, outcome.at.toISOString(), outcome.receivedOn, outcome.objectionDeadline, outcome.messageId ?? null, outcome.httpStatus ?? null]);
    statements.push(
      db
        .prepare(
          `UPDATE notice_deliveries SET state = 'sent', sent_at = json_extract(row.value, '$[1]'), received_on = json_extract(row.value, '$[2]'), objection_deadline = json_extract(row.value, '$[3]'),
             message_id = json_extract(row.value, '$[4]'), http_status = json_extract(row.value, '$[5]'), lease_until = NULL, last_error = NULL
           FROM json_each(?1) AS row WHERE notice_deliveries.id = json_extract(row.value, '$[0]') AND notice_deliveries.state = 'sending'`,
        )
        .bind(JSON.stringify(rows)),
    );
  }
  const retry = of('retry');
  if (retry.length > 0) {
    const rows = retry.map(({ id, outcome }) => [id, outcome.nextAttemptAt.getTime(), outcome.error.slice(0, 500), outcome.httpStatus ?? null]);
    statements.push(
      db
        .prepare(
          `UPDATE notice_deliveries SET state = 'retry', next_attempt_at = json_extract(row.value, '$[1]'), last_error = json_extract(row.value, '$[2]'), http_status = json_extract(row.value, '$[3]'), lease_until = NULL
           FROM json_each(?1) AS row WHERE notice_deliveries.id = json_extract(row.value, '$[0]') AND notice_deliveries.state = 'sending'`,
        )
        .bind(JSON.stringify(rows)),
    );
  }
  const failed = of('failed');
  if (failed.length > 0) {
    const rows = failed.map(({ id, outcome }) => [id, outcome.error.slice(0, 500), outcome.httpStatus ?? null]);
    statements.push(
      db
        .prepare(
          `UPDATE notice_deliveries SET state = 'failed', last_error = json_extract(row.value, '$[1]'), http_status = json_extract(row.value, '$[2]'), lease_until = NULL
           FROM json_each(?1) AS row WHERE notice_deliveries.id = json_extract(row.value, '$[0]') AND notice_deliveries.state = 'sending'`,
        )
        .bind(JSON.stringify(rows)),
    );
  }
  if (statements.length > 0) await db.batch(statements);
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
