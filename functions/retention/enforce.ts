import { LEDGER_RECORD_KINDS, type LedgerRecordFormat } from '../../src/domain/ledger-redaction.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { retentionCutoff, retentionEnd } from '../../src/domain/retention.ts';
import type { RetentionRuleId } from '../../src/schemas/legal.ts';
import { logKey, NotConfiguredError } from '../lib/log-key.ts';
import { SECRET_ATTEMPTS } from '../pipeline/attempt-limit.ts';
import { acceptanceRateLimits, mailingRateLimits } from '../pipeline/rate-limit.ts';
import { purgeExpiredCounters } from '../pipeline/rate-limit-store.ts';
import { purgeUnconfirmed, purgeUnsubscribed } from '../subscriptions/store.ts';
import { purgeDisabledEndpoints, purgeUnconfirmedEndpoints } from '../webhooks/store.ts';
import { redactExpiredRecords } from './redact.ts';

/** What one run deleted or redacted, per rule; null where the job failed (it is logged) or could not run. */
export type RetentionReport = Partial<Record<RetentionRuleId, number | null>>;

/**
 * The retention jobs of the Cron Trigger: every rule of the privacy notice the Worker enforces,
 * each with the period the notice states (manifest `retention`, from content/legal/privacy.yaml).
 * One job failing does not stop the others; the next run (15 minutes later) tries again.
 * Rule "server-logs" is kept by the hosting (the notice says so).
 */
export async function enforceRetention(env: Env, manifest: Manifest, now: Date): Promise<RetentionReport> {
  const cutoff = (rule: RetentionRuleId) => retentionCutoff(manifest.retention[rule], now);
  const jobs: Array<[RetentionRuleId, () => Promise<number | null>]> = [
    ['unconfirmed-sign-ups', () => purgeUnconfirmed(env.DB, cutoff('unconfirmed-sign-ups'))],
    ['unsubscribed-subscribers', () => purgeUnsubscribed(env.DB, cutoff('unsubscribed-subscribers'))],
    ['unconfirmed-webhooks', () => purgeUnconfirmedEndpoints(env.DB, cutoff('unconfirmed-webhooks'))],
    ['disabled-webhooks', () => purgeDisabledEndpoints(env.DB, cutoff('disabled-webhooks'))],
    ['rate-limit-counters', () => purgeCounters(env, manifest, now, cutoff('rate-limit-counters'))],
    // One job per record kind of the log, each under its own rule and period.
    ...Object.entries(LEDGER_RECORD_KINDS).map(([format, { rule }]): [RetentionRuleId, () => Promise<number | null>] => [rule, () => redactRecords(env, manifest, now, format as LedgerRecordFormat)]),
  ];
  const report: RetentionReport = {};
  for (const [rule, job] of jobs) {
    try {
      report[rule] = await job();
    } catch (error) {
      console.error(JSON.stringify({ message: 'retention job failed', rule, error: error instanceof Error ? error.message : String(error) }));
      report[rule] = null;
    }
  }
  return report;
}

/**
 * The notice's period wins over a configured window that is longer (a counter then restarts
 * mid-window, weakening that limit, not the promise); the operator is told, to shorten the window.
 */
async function purgeCounters(env: Env, manifest: Manifest, now: Date, cutoff: Date): Promise<number> {
  const longestWindowMs = Math.max(acceptanceRateLimits(env).windowSeconds, mailingRateLimits(env).windowSeconds, SECRET_ATTEMPTS.windowSeconds) * 1000;
  const periodMs = retentionEnd(now, manifest.retention['rate-limit-counters']).getTime() - now.getTime();
  if (longestWindowMs > periodMs) console.error(JSON.stringify({ message: 'a rate-limit window is longer than the retention the privacy notice states; counters are deleted mid-window', longestWindowMs, periodMs }));
  return purgeExpiredCounters(env.DB, cutoff);
}

/** Redaction needs the log key; without RECEIPT_SIGNING_KEY no records exist to redact either. */
async function redactRecords(env: Env, manifest: Manifest, now: Date, format: LedgerRecordFormat): Promise<number | null> {
  let key;
  try {
    key = await logKey(env, manifest);
  } catch (error) {
    if (error instanceof NotConfiguredError) return null;
    throw error;
  }
  const { redacted, refused } = await redactExpiredRecords(env.DB, manifest, key, now, format);
  if (refused > 0) console.error(JSON.stringify({ message: 'records due for redaction were refused: run the ledger audit', format, refused }));
  return redacted;
}
