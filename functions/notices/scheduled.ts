import { publishedManifest } from '../published-manifest.ts';
import { retryReceiptMails } from '../acceptances/send-receipt-mail.ts';
import { retryDeclarationMails } from '../objections/mails.ts';
import { enforceRetention } from '../retention/enforce.ts';
import { consumeDeadLetters, consumeNotices } from './consumer.ts';
import type { NoticeMessage } from './config.ts';
import { dispatchNotices } from './dispatch.ts';
import { checkNoticeTiming } from './timing.ts';
import { hashLegacyReceiptKeys } from '../acceptances/receipt-store.ts';

/** Any origin does: the ASSETS binding serves this deployment's files whatever the host. */
const ASSETS_ORIGIN = 'https://assets.invalid/';

/**
 * The Cron Trigger: dispatch what was published, re-queue due retries, check that no notice
 * reached anyone too late for its change's effective date, retry failed receipt and declaration mails, hash
 * the receipt keys of records from before migration 0013, and
 * delete or redact whatever the privacy notice's retention periods say is due
 * (functions/retention/enforce.ts). `scheduledTime` is "now" for all of it, so a test (or a
 * late run) decides which day it is.
 */
export async function onScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const manifest = await publishedManifest(env, ASSETS_ORIGIN);
  // First, and never throwing: a failing dispatch must not keep data past its stated period.
  const retention = await enforceRetention(env, manifest, now);
  const report = await dispatchNotices(env, manifest, now);
  const late = await checkNoticeTiming(env, manifest, now);
  const hashedReceiptKeys = await hashLegacyReceiptKeys(env.DB);
  await retryReceiptMails(env, manifest, manifest.siteUrl, now);
  await retryDeclarationMails(env, manifest, manifest.siteUrl);
  console.log(JSON.stringify({ message: 'notices dispatched', dispatched: report.dispatched, skipped: report.skipped.length, enqueued: report.enqueued, lateNotices: late.length, retention, hashedReceiptKeys }));
}

/** Queue consumer for the notice queue and its dead-letter queue (wrangler.toml). */
export async function onQueue(batch: MessageBatch<NoticeMessage>, env: Env): Promise<void> {
  if (batch.queue.endsWith('-dlq')) return consumeDeadLetters(batch, env);
  return consumeNotices(batch, env, await publishedManifest(env, ASSETS_ORIGIN));
}
