import { positiveIntVar } from '../lib/env-vars.ts';

/** The notice settings from wrangler.toml `[vars]`, with the defaults documented there. */
export interface NoticeConfig {
  /** Attempts per delivery before it counts as failed (NOTICE_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Events older than this many days when first seen are skipped (NOTICE_MAX_AGE_DAYS). */
  maxAgeDays: number;
  /** ENVIRONMENT=development allows http://localhost webhook endpoints. */
  development: boolean;
}


export function noticeConfig(env: Env): NoticeConfig {
  return {
    maxAttempts: positiveIntVar(env.NOTICE_MAX_ATTEMPTS, 10),
    maxAgeDays: positiveIntVar(env.NOTICE_MAX_AGE_DAYS, 30),
    development: env.ENVIRONMENT === 'development',
  };
}

/** A claimed attempt that was lost with its consumer may be taken over after this long. */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;

/** Queue message body: the delivery row says everything else. */
export interface NoticeMessage {
  delivery: string;
}
