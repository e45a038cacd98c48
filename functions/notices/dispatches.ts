import { z } from 'zod';
import type { NoticeTopic } from '../../src/domain/notice-topics.ts';

/** An event's fan-out as recorded in `notice_dispatches`. */
export interface DispatchState {
  eventId: string;
  /** Set once every recipient has a delivery row and a message on the queue. */
  completedAt: string | null;
  /** Last subscriber / endpoint id fanned out: a resumed fan-out continues after them. */
  subscriberCursor: string;
  endpointCursor: string;
}

const DispatchRow = z.object({ event_id: z.string(), completed_at: z.string().nullable(), subscriber_cursor: z.string(), endpoint_cursor: z.string() });

/** Every event the dispatcher has seen, by id. */
export async function knownDispatches(db: D1Database): Promise<Map<string, DispatchState>> {
  const { results } = await db.prepare('SELECT event_id, completed_at, subscriber_cursor, endpoint_cursor FROM notice_dispatches').all();
  return new Map(
    results.map((row) => {
      const parsed = DispatchRow.parse(row);
      return [parsed.event_id, { eventId: parsed.event_id, completedAt: parsed.completed_at, subscriberCursor: parsed.subscriber_cursor, endpointCursor: parsed.endpoint_cursor }];
    }),
  );
}

/** Records an event seen too late to send (older than NOTICE_MAX_AGE_DAYS at first sight). */
export async function recordSkipped(db: D1Database, eventId: string, topic: NoticeTopic, now: Date): Promise<void> {
  await db
    .prepare(`INSERT INTO notice_dispatches (event_id, topic, started_at, completed_at, outcome) VALUES (?, ?, ?, ?, 'skipped') ON CONFLICT (event_id) DO NOTHING`)
    .bind(eventId, topic, now.toISOString(), now.toISOString())
    .run();
}

/** Records the start of a fan-out (once: a concurrent run inserts nothing). */
export async function recordStarted(db: D1Database, eventId: string, topic: NoticeTopic, now: Date): Promise<void> {
  await db.prepare('INSERT INTO notice_dispatches (event_id, topic, started_at) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING').bind(eventId, topic, now.toISOString()).run();
}

/** Moves a cursor after a page of recipients is on the queue. */
export async function advanceCursor(db: D1Database, eventId: string, channel: 'email' | 'webhook', cursor: string): Promise<void> {
  const statement = channel === 'email' ? 'UPDATE notice_dispatches SET subscriber_cursor = ? WHERE event_id = ?' : 'UPDATE notice_dispatches SET endpoint_cursor = ? WHERE event_id = ?';
  await db.prepare(statement).bind(cursor, eventId).run();
}

/** Marks a fan-out complete with its number of recipients. */
export async function recordCompleted(db: D1Database, eventId: string, now: Date): Promise<void> {
  await db
    .prepare(
      `UPDATE notice_dispatches SET completed_at = ?2, outcome = 'sent', recipients = (SELECT COUNT(*) FROM notice_deliveries WHERE event_id = ?1)
       WHERE event_id = ?1 AND completed_at IS NULL`,
    )
    .bind(eventId, now.toISOString())
    .run();
}
