import { positiveIntVar } from '../lib/env-vars.ts';

/** The notice settings from wrangler.toml `[vars]`, with the defaults documented there. */
export interface NoticeConfig {
  /** Attempts per delivery before it counts as failed (NOTICE_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Events older than this many days when first seen are skipped (NOTICE_MAX_AGE_DAYS). */
  maxAgeDays: number;
  /** ENVIRONMENT=development allows http://localhost webhook endpoints. */
  development: boolean;
  /** SMTP connections a queue batch sends its mails over (NOTICE_SMTP_CONNECTIONS). */
  smtpConnections: number;
}

export function noticeConfig(env: Env): NoticeConfig {
  return {
    maxAttempts: positiveIntVar(env.NOTICE_MAX_ATTEMPTS, 10),
    maxAgeDays: positiveIntVar(env.NOTICE_MAX_AGE_DAYS, 30),
    development: env.ENVIRONMENT === 'development',
    smtpConnections: positiveIntVar(env.NOTICE_SMTP_CONNECTIONS, DEFAULT_SMTP_CONNECTIONS),
  };
}

/** A claimed attempt that was lost with its consumer may be taken over after this long. */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;

/**
 * SMTP connections per queue batch by default, each pipelining its mails (one round trip per
 * mail). Six is what a Worker invocation may have connecting at once (Workers limits:
 * simultaneous open connections; only connections still waiting for their first answer count)
 * and within what providers allow per account; raise NOTICE_SMTP_CONNECTIONS where the relay
 * allows more, since with Queues running several batches at once they multiply.
 */
export const DEFAULT_SMTP_CONNECTIONS = 6;

/** Queue message body: the delivery row says everything else. */
export interface NoticeMessage {
  delivery: string;
}
