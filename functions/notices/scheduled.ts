import { SECRET_ATTEMPTS } from '../pipeline/attempt-limit.ts';
import { acceptanceRateLimits, mailingRateLimits } from '../pipeline/rate-limit.ts';
import { purgeExpiredCounters } from '../pipeline/rate-limit-store.ts';
import { purgeUnconfirmed, unconfirmedRetentionHours } from '../subscriptions/store.ts';
import { publishedManifest } from '../published-manifest.ts';
import { retryReceiptMails } from '../acceptances/send-receipt-mail.ts';
import { purgeUnconfirmedEndpoints } from '../webhooks/store.ts';
import { consumeDeadLetters, consumeNotices } from './consumer.ts';
import type { NoticeMessage } from './config.ts';
import { dispatchNotices } from './dispatch.ts';
import { checkNoticeTiming } from './timing.ts';
import { hashLegacyReceiptKeys } from '../acceptances/receipt-store.ts';

/** Any origin does: the ASSETS binding serves this deployment's files whatever the host. */
const ASSETS_ORIGIN = 'https://assets.invalid/';

/**
 * The Cron Trigger: dispatch what was published, re-queue due retries, check that no notice
 * reached anyone too late for its change's effective date, purge sign-ups and webhook
 * registrations that were never confirmed and rate-limit counters past their retention, retry
 * failed receipt mails. `scheduledTime` is "now" for all of it, so a test (or a late run) decides
 * which day it is.
 */
export async function onScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const manifest = await publishedManifest(env, ASSETS_ORIGIN);
  const report = await dispatchNotices(env, manifest, now);
  const late = await checkNoticeTiming(env, manifest, now);
  const purged = await purgeUnconfirmed(env.DB, now, unconfirmedRetentionHours(env));
  const purgedEndpoints = await purgeUnconfirmedEndpoints(env.DB, now, unconfirmedRetentionHours(env));
  const purgedCounters = await purgeExpiredCounters(env.DB, [acceptanceRateLimits(env).windowSeconds, mailingRateLimits(env).windowSeconds, SECRET_ATTEMPTS.windowSeconds], now.getTime());
  const hashedReceiptKeys = await hashLegacyReceiptKeys(env.DB);
  await retryReceiptMails(env, manifest, manifest.siteUrl, now);
  console.log(JSON.stringify({ message: 'notices dispatched', dispatched: report.dispatched, skipped: report.skipped.length, enqueued: report.enqueued, lateNotices: late.length, purgedUnconfirmed: purged, purgedUnconfirmedEndpoints: purgedEndpoints, purgedCounters, hashedReceiptKeys }));
}

/** Queue consumer for the notice queue and its dead-letter queue (wrangler.toml). */
export async function onQueue(batch: MessageBatch<NoticeMessage>, env: Env): Promise<void> {
  if (batch.queue.endsWith('-dlq')) return consumeDeadLetters(batch, env);
  return consumeNotices(batch, env, await publishedManifest(env, ASSETS_ORIGIN));
}
