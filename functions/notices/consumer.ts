import { retryDelayMs } from '../../src/domain/delivery-backoff.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { publishedNoticeEvents, recipientObjectionDeadline, type NoticeEvent } from '../../src/domain/notice-events.ts';
import type { AttemptResult } from './attempt-result.ts';
import { noticeConfig, type NoticeMessage } from './config.ts';
import { claimDelivery, recordOutcome, type AttemptOutcome, type ClaimedDelivery } from './deliveries.ts';
import { sendEmailNotice } from './send-email.ts';
import { endpointAfterAttempt, sendWebhookNotice } from './send-webhook.ts';

/**
 * The queue consumer: each message names one delivery row. The row is claimed (at most one
 * claim wins), the notice is sent once, and the outcome is written to the evidence. A failed
 * send is not retried through the queue but rescheduled in D1 with backoff (the dispatcher
 * re-queues it when due), so retries span days and survive any queue setting. The message is
 * retried by the queue only if the Worker itself failed (e.g. D1 unavailable), and after
 * max_retries lands in the dead-letter queue, whose consumer puts the row back on the D1
 * schedule.
 */
export async function consumeNotices(batch: MessageBatch<NoticeMessage>, env: Env, manifest: Manifest): Promise<void> {
  const events = new Map(publishedNoticeEvents(manifest, '9999-12-31').map((event) => [event.id, event]));
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await deliver(env, manifest, events, message.body.delivery);
        message.ack();
      } catch (error) {
        console.error('notice delivery failed unexpectedly; the queue retries it', message.body.delivery, error);
        message.retry();
      }
    }),
  );
}

async function deliver(env: Env, manifest: Manifest, events: Map<string, NoticeEvent>, id: string): Promise<void> {
  const now = new Date();
  const delivery = await claimDelivery(env.DB, id, now);
  if (!delivery) return;
  const event = events.get(delivery.eventId);
  if (!event) {
    await recordOutcome(env.DB, id, { kind: 'failed', error: 'the event is no longer in the published manifest' }).run();
    return;
  }
  const facts = { lang: delivery.lang, ...recipientDates(manifest, event, now) };
  const result =
    delivery.channel === 'email'
      ? await sendEmailNotice(env, manifest, event, delivery, facts)
      : await sendWebhookNotice(env, manifest, event, delivery, facts, now);
  const outcome = outcomeOf(result, delivery, facts, noticeConfig(env).maxAttempts, new Date());
  await recordOutcome(env.DB, id, outcome).run();
  if (delivery.channel === 'webhook') await endpointAfterAttempt(env, manifest, delivery, outcome);
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
