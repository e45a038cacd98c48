import { retryDelayMs } from '../../src/domain/delivery-backoff.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { publishedNoticeEvents, recipientObjectionDeadline, type NoticeEvent } from '../../src/domain/notice-events.ts';
import { noticeConfig, type NoticeMessage } from './config.ts';
import { claimDeliveries, recordOutcomes, type AttemptOutcome, type ClaimedDelivery } from './deliveries.ts';
import type { NoticeFacts } from './notice-content.ts';
import { sendEmailNotices } from './send-email.ts';
import { endpointAfterAttempt, sendWebhookNotice } from './send-webhook.ts';

/** A claimed delivery with the event it announces and the recipient's own dates. */
export interface ClaimedNotice {
  event: NoticeEvent;
  delivery: ClaimedDelivery;
  facts: NoticeFacts;
}

/** What one attempt produced, before the evidence is written. */
export type AttemptResult =
  | { ok: true; messageId?: string; httpStatus?: number }
  | { ok: false; retryable: boolean; error: string; httpStatus?: number };

/**
 * The queue consumer: each message names one delivery row. The rows are claimed (at most one
 * claim per row wins), each notice is sent once, and the outcomes are written to the evidence.
 * A whole batch shares one D1 round trip per step (claim, subscriber check, outcomes), a few
 * SMTP connections and one composed mail per event and language, which is what makes a fan-out
 * to thousands fast. A failed send is not retried through the queue but rescheduled in D1 with
 * backoff (the dispatcher re-queues it when due), so retries span days and survive any queue
 * setting. The batch is retried by the
 * queue only if the Worker itself failed (e.g. D1 unavailable), and after max_retries lands in
 * the dead-letter queue, whose consumer puts the rows back on the D1 schedule.
 */
export async function consumeNotices(batch: MessageBatch<NoticeMessage>, env: Env, manifest: Manifest): Promise<void> {
  const clock = phaseClock();
  const events = new Map(publishedNoticeEvents(manifest, '9999-12-31').map((event) => [event.id, event]));
  const now = new Date();
  let claims: (ClaimedDelivery | null)[];
  try {
    claims = await claimDeliveries(env.DB, batch.messages.map((message) => message.body.delivery), now);
  } catch (error) {
    console.error('claiming notice deliveries failed; the queue retries the batch', error);
    batch.retryAll();
    return;
  }
  clock.lap('claim');

  const outcomes: { delivery: ClaimedDelivery; outcome: AttemptOutcome }[] = [];
  const emails: ClaimedNotice[] = [];
  const webhooks: ClaimedNotice[] = [];
  // Every recipient of a batch receives it on the same day: its dates are computed once per event.
  const dates = new Map<string, { receivedOn: string; objectionDeadline: string | null }>();
  for (const delivery of claims) {
    if (!delivery) continue;
    const event = events.get(delivery.eventId);
    if (!event) {
      outcomes.push({ delivery, outcome: { kind: 'failed', error: 'the event is no longer in the published manifest' } });
      continue;
    }
    let eventDates = dates.get(event.id);
    if (!eventDates) dates.set(event.id, (eventDates = recipientDates(manifest, event, now)));
    (delivery.channel === 'email' ? emails : webhooks).push({ event, delivery, facts: { lang: delivery.lang, ...eventDates } });
  }
  const maxAttempts = noticeConfig(env).maxAttempts;
  const [emailResults, webhookResults] = await Promise.all([
    sendEmailNotices(env, manifest, emails, clock.lap),
    Promise.all(webhooks.map(({ event, delivery, facts }) => sendWebhookNotice(env, manifest, event, delivery, facts, now))),
  ]);
  clock.lap('smtp');
  const attempted = new Date();
  [...emails, ...webhooks].forEach(({ delivery, facts }, index) => {
    const result = index < emails.length ? emailResults[index]! : webhookResults[index - emails.length]!;
    outcomes.push({ delivery, outcome: outcomeOf(result, delivery, facts, maxAttempts, attempted) });
  });

  try {
    await recordOutcomes(env.DB, outcomes.map(({ delivery, outcome }) => ({ id: delivery.id, outcome })));
    for (const { delivery, outcome } of outcomes) if (delivery.channel === 'webhook') await endpointAfterAttempt(env, manifest, delivery, outcome);
  } catch (error) {
    // The notices went out but their evidence is not written: the rows stay claimed until the
    // lease ends and are then tried again, as when a consumer dies mid-batch.
    console.error('recording notice outcomes failed; the queue retries the batch', error);
    batch.retryAll();
    return;
  }
  clock.lap('record');
  batch.ackAll();
  const count = (kind: AttemptOutcome['kind']) => outcomes.filter(({ outcome }) => outcome.kind === kind).length;
  console.log(JSON.stringify({ message: 'notice batch', messages: batch.messages.length, claimed: claims.filter(Boolean).length, sent: count('sent'), retry: count('retry'), failed: count('failed'), ms: clock.laps }));
}

/**
 * Milliseconds per step of a batch, for the log line the benchmark reads: claim, check (which
 * recipients are still subscribed), compose, connect (the rest of the SMTP handshakes), smtp
 * (sending, and any webhooks), record. Workers' clocks move only on I/O, so CPU work counts into
 * the step whose I/O follows it: composing shows up under connect, or under compose only where
 * the clock moves during CPU work (see the benchmark, which also times composing in Node).
 */
function phaseClock() {
  let last = Date.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name: string) {
      const now = Date.now();
      laps[name] = now - last;
      last = now;
    },
  };
}

function recipientDates(manifest: Manifest, event: NoticeEvent, now: Date): { receivedOn: string; objectionDeadline: string | null } {
  const { receivedOn, deadline } = recipientObjectionDeadline(manifest, event, now);
  return { receivedOn, objectionDeadline: deadline };
}

function outcomeOf(result: AttemptResult, delivery: ClaimedDelivery, facts: { receivedOn: string; objectionDeadline: string | null }, maxAttempts: number, now: Date): AttemptOutcome {
  if (result.ok) {
    return {
      kind: 'sent',
      at: now,
      receivedOn: facts.receivedOn,
      objectionDeadline: facts.objectionDeadline,
      ...(result.messageId !== undefined && { messageId: result.messageId }),
      ...(result.httpStatus !== undefined && { httpStatus: result.httpStatus }),
    };
  }
  const status = result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {};
  if (!result.retryable || delivery.attempts >= maxAttempts) {
    return { kind: 'failed', error: result.retryable ? `gave up after ${delivery.attempts} attempts: ${result.error}` : result.error, ...status };
  }
  return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + retryDelayMs(delivery.attempts)), error: result.error, ...status };
}

/**
 * Dead-letter consumer: a message whose handler kept failing. Its row goes back on the D1
 * schedule (due now), so the next dispatcher run queues it again: no notice is dropped.
 */
export async function consumeDeadLetters(batch: MessageBatch<NoticeMessage>, env: Env): Promise<void> {
  const now = Date.now();
  const statement = env.DB.prepare(`UPDATE notice_deliveries SET state = 'retry', next_attempt_at = ?, lease_until = NULL, last_error = 'dead-lettered by the queue' WHERE id = ? AND state IN ('queued', 'sending')`);
  await env.DB.batch(batch.messages.map((message) => statement.bind(now, message.body.delivery)));
  batch.ackAll();
}
