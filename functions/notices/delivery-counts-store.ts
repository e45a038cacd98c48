import { z } from 'zod';

/** Deliveries of one event by channel and state (the console's per-change counts). */
export const DeliveryCountRowSchema = z.object({
  eventId: z.string(),
  channel: z.enum(['email', 'webhook']),
  state: z.enum(['queued', 'sending', 'retry', 'sent', 'failed']),
  count: z.number().int(),
});
export type DeliveryCountRow = z.output<typeof DeliveryCountRowSchema>;

export async function deliveryCounts(db: D1Database, eventIds: readonly string[]): Promise<DeliveryCountRow[]> {
  if (eventIds.length === 0) return [];
  const { results } = await db
    .prepare('SELECT event_id AS eventId, channel, state, COUNT(*) AS count FROM notice_deliveries WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY event_id, channel, state')
    .bind(JSON.stringify(eventIds))
    .all();
  return results.map((row) => DeliveryCountRowSchema.parse(row));
}

/** Whether the dispatcher has fanned the event out (and how it ended), per event. */
export const DispatchRowSchema = z.object({ eventId: z.string(), outcome: z.enum(['sending', 'sent', 'skipped']), startedAt: z.string(), recipients: z.number().int() });
export type DispatchRow = z.output<typeof DispatchRowSchema>;

export async function dispatchesOf(db: D1Database, eventIds: readonly string[]): Promise<DispatchRow[]> {
  if (eventIds.length === 0) return [];
  const { results } = await db
    .prepare('SELECT event_id AS eventId, outcome, started_at AS startedAt, recipients FROM notice_dispatches WHERE event_id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(eventIds))
    .all();
  return results.map((row) => DispatchRowSchema.parse(row));
}
