import { CountRowSchema, type CountRow } from '../subscriptions/counts-store.ts';

/** Webhook endpoints per status (`key` = status), for the console. */
export async function endpointCountsByStatus(db: D1Database): Promise<CountRow[]> {
  const { results } = await db.prepare('SELECT status AS key, status, COUNT(*) AS count FROM webhook_endpoints GROUP BY status').all();
  return results.map((row) => CountRowSchema.parse(row));
}

/** Webhook endpoints per topic and status (`key` = topic). */
export async function endpointCountsByTopic(db: D1Database): Promise<CountRow[]> {
  const { results } = await db
    .prepare('SELECT topic.value AS key, e.status, COUNT(*) AS count FROM webhook_endpoints AS e, json_each(e.topics) AS topic GROUP BY topic.value, e.status')
    .all();
  return results.map((row) => CountRowSchema.parse(row));
}
