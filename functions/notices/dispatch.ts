import { addDays, berlinDateOf } from '../../src/domain/calendar-date.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { publishedNoticeEvents, type NoticeEvent } from '../../src/domain/notice-events.ts';
import { listConfirmedSubscribers } from '../subscriptions/store.ts';
import { listActiveEndpoints } from '../webhooks/store.ts';
import { noticeConfig, type NoticeMessage } from './config.ts';
import { dueDeliveries, insertDeliveries, type NewDelivery } from './deliveries.ts';
import { advanceCursor, knownDispatches, recordCompleted, recordSkipped, recordStarted } from './dispatches.ts';

/**
 * Recipients per page of the fan-out: one D1 read and one INSERT statement each (the rows go in
 * as one JSON parameter, far below D1's 2 MB per value), then the page's messages in `sendBatch`
 * calls of QUEUE_BATCH at once. Fewer, larger pages mean fewer round trips per fan-out.
 */
const PAGE = 500;

/** Messages per Queue `sendBatch` call: the Queues limit is 100 messages (and 256 KB; ours are ~50 bytes each). */
const QUEUE_BATCH = 100;

export interface DispatchReport {
  /** Events fanned out (completely) in this run. */
  dispatched: string[];
  /** Events seen for the first time but too old to send. */
  skipped: string[];
  /** Messages put on the queue: new recipients plus due retries. */
  enqueued: number;
}

/**
 * The dispatcher (Cron Trigger): every published event that has not been fanned out yet is
 * fanned out to the confirmed subscribers and active webhook endpoints of its topic, one queue
 * message per recipient. Safe to run any number of times and concurrently: the event's
 * dispatch row and each recipient's delivery row are inserted once (UNIQUE), a half-finished
 * fan-out resumes after its cursors, and sending is guarded by the consumer's claim.
 */
export async function dispatchNotices(env: Env, manifest: Manifest, now: Date): Promise<DispatchReport> {
  const config = noticeConfig(env);
  const today = berlinDateOf(now);
  const oldest = addDays(today, -config.maxAgeDays);
  const report: DispatchReport = { dispatched: [], skipped: [], enqueued: 0 };

  const known = await knownDispatches(env.DB);

  for (const event of publishedNoticeEvents(manifest, today)) {
    const row = known.get(event.id);
    if (row?.completedAt) continue;
    if (!row && event.publishedDate < oldest) {
      await recordSkipped(env.DB, event.id, event.topic, now);
      report.skipped.push(event.id);
      continue;
    }
    if (!row) await recordStarted(env.DB, event.id, event.topic, now);
    report.enqueued += await fanOut(env, event, row?.subscriberCursor ?? '', row?.endpointCursor ?? '', now);
    await recordCompleted(env.DB, event.id, now);
    report.dispatched.push(event.id);
  }

  report.enqueued += await requeueDue(env, now);
  return report;
}

/**
 * Someone who confirms a subscription while changes are still pending gets their notices at
 * once: every announced subprocessor change that was already fanned out and has not taken
 * effect yet. Their objection deadline is then counted from their own receipt, like anyone's.
 * (Events recorded as `skipped`, too old when first seen, stay unsent.)
 */
export async function sendPendingNotices(
  env: Env,
  manifest: Manifest,
  subscriber: { id: string; email: string; lang: 'de' | 'en'; topics: readonly string[] },
  now: Date,
): Promise<number> {
  if (!subscriber.topics.includes('subprocessor-changes')) return 0;
  const today = berlinDateOf(now);
  const { results } = await env.DB.prepare("SELECT event_id FROM notice_dispatches WHERE topic = 'subprocessor-changes' AND outcome != 'skipped'").all<{ event_id: string }>();
  const fannedOut = new Set(results.map((row) => row.event_id));
  let enqueued = 0;
  for (const event of publishedNoticeEvents(manifest, today)) {
    if (event.topic !== 'subprocessor-changes' || event.change.effectiveDate <= today || !fannedOut.has(event.id)) continue;
    enqueued += await enqueuePage(env, event.id, [{ channel: 'email', recipientId: subscriber.id, recipientAddress: subscriber.email, lang: subscriber.lang }], now);
  }
  return enqueued;
}

/** Fans one event out page by page; the cursor moves only after a page is on the queue. */
async function fanOut(env: Env, event: NoticeEvent, subscriberCursor: string, endpointCursor: string, now: Date): Promise<number> {
  let enqueued = 0;
  for (let cursor = subscriberCursor; ; ) {
    const page = await listConfirmedSubscribers(env.DB, event.topic, cursor, PAGE);
    if (page.length === 0) break;
    enqueued += await enqueuePage(env, event.id, page.map((subscriber) => ({ channel: 'email', recipientId: subscriber.id, recipientAddress: subscriber.email, lang: subscriber.lang })), now);
    cursor = page.at(-1)!.id;
    await advanceCursor(env.DB, event.id, 'email', cursor);
  }
  for (let cursor = endpointCursor; ; ) {
    const page = await listActiveEndpoints(env.DB, event.topic, cursor, PAGE);
    if (page.length === 0) break;
    enqueued += await enqueuePage(env, event.id, page.map((endpoint) => ({ channel: 'webhook', recipientId: endpoint.id, recipientAddress: endpoint.url, lang: endpoint.lang })), now);
    cursor = page.at(-1)!.id;
    await advanceCursor(env.DB, event.id, 'webhook', cursor);
  }
  return enqueued;
}

async function enqueuePage(env: Env, eventId: string, recipients: NewDelivery[], now: Date): Promise<number> {
  const ids = await insertDeliveries(env.DB, eventId, recipients, now);
  await sendMessages(env, ids);
  return ids.length;
}

/** Due retries and lost messages back onto the queue (bounded per run; the next run takes the rest). */
async function requeueDue(env: Env, now: Date): Promise<number> {
  const ids = await dueDeliveries(env.DB, now, 5000);
  await sendMessages(env, ids);
  return ids.length;
}

/**
 * All of `ids` on the queue, up to a page's worth of `sendBatch` calls at a time; throws if one
 * failed (its rows stay queued and come due again, see dueDeliveries).
 */
async function sendMessages(env: Env, ids: string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += PAGE) {
    const page = ids.slice(start, start + PAGE);
    const calls: Promise<unknown>[] = [];
    for (let from = 0; from < page.length; from += QUEUE_BATCH) calls.push(env.NOTICES.sendBatch(page.slice(from, from + QUEUE_BATCH).map((delivery): { body: NoticeMessage } => ({ body: { delivery } }))));
    await Promise.all(calls);
  }
}
