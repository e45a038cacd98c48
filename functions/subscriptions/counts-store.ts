import { z } from 'zod';
import { NoticeTopicsJsonSchema } from '../../src/domain/notice-topics.ts';

/**
 * Subscriber figures for the console: counts only. The addresses leave the database only
 * through the explicit export (`listSubscribersForExport`), never on a page.
 */
export const CountRowSchema = z.object({ key: z.string(), status: z.string(), count: z.number().int() });
export type CountRow = z.output<typeof CountRowSchema>;

/** Subscribers per status (`key` = status). */
export async function subscriberCountsByStatus(db: D1Database): Promise<CountRow[]> {
  const { results } = await db.prepare('SELECT status AS key, status, COUNT(*) AS count FROM subscribers GROUP BY status').all();
  return results.map((row) => CountRowSchema.parse(row));
}

/** Subscribers per topic and status (`key` = topic; pending sign-ups have no topics yet). */
export async function subscriberCountsByTopic(db: D1Database): Promise<CountRow[]> {
  const { results } = await db
    .prepare('SELECT topic.value AS key, s.status, COUNT(*) AS count FROM subscribers AS s, json_each(s.topics) AS topic GROUP BY topic.value, s.status')
    .all();
  return results.map((row) => CountRowSchema.parse(row));
}

export const SubscriberExportRowSchema = z.object({
  email: z.string(),
  status: z.enum(['pending', 'confirmed', 'unsubscribed']),
  lang: z.enum(['de', 'en']),
  topics: NoticeTopicsJsonSchema.transform((topics) => topics.join(' ')),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
});
export type SubscriberExportRow = z.output<typeof SubscriberExportRowSchema>;

/** Every subscriber with address: only for the explicit export. */
export async function listSubscribersForExport(db: D1Database): Promise<SubscriberExportRow[]> {
  const { results } = await db
    .prepare('SELECT email, status, lang, topics, created_at AS createdAt, confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt FROM subscribers ORDER BY email')
    .all();
  return results.map((row) => SubscriberExportRowSchema.parse(row));
}
