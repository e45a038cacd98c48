import { sha256Hex } from '../../src/domain/sha256.ts';
import { positiveIntVar } from './env-vars.ts';

/**
 * Fixed-window rate limits kept in D1 (`acceptance_rate_limits`): one upsert counts a hit in
 * every bucket at once. D1 rather than Cloudflare's Rate Limiting binding because the binding
 * cannot say when a client may retry (Retry-After), allows only 10 s or 60 s periods, and its
 * limits live in wrangler.toml where a benchmark cannot raise them per run.
 */
export interface RateLimitConfig {
  perIp: number;
  perEmail: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  /** Bucket kinds over their limit, e.g. ["ip"]. */
  exceeded: Array<'ip' | 'email'>;
  /** Seconds until the current window ends. */
  retryAfter: number;
}


/** From the vars ACCEPTANCE_RATE_LIMIT_PER_IP / _PER_EMAIL / ACCEPTANCE_RATE_WINDOW_SECONDS. */
export function rateLimitConfig(env: Env): RateLimitConfig {
  return {
    perIp: positiveIntVar(env.ACCEPTANCE_RATE_LIMIT_PER_IP, 60),
    perEmail: positiveIntVar(env.ACCEPTANCE_RATE_LIMIT_PER_EMAIL, 10),
    windowSeconds: positiveIntVar(env.ACCEPTANCE_RATE_WINDOW_SECONDS, 600),
  };
}

/**
 * From the vars SUBSCRIPTION_RATE_LIMIT_PER_IP / _PER_EMAIL / SUBSCRIPTION_RATE_WINDOW_SECONDS:
 * for every form that makes the Worker mail someone (subscriptions, webhook registrations), so
 * none can be used to flood a mailbox. Callers count in their own `scope`.
 */
export function mailingRateLimitConfig(env: Env): RateLimitConfig {
  return {
    perIp: positiveIntVar(env.SUBSCRIPTION_RATE_LIMIT_PER_IP, 20),
    perEmail: positiveIntVar(env.SUBSCRIPTION_RATE_LIMIT_PER_EMAIL, 3),
    windowSeconds: positiveIntVar(env.SUBSCRIPTION_RATE_WINDOW_SECONDS, 3600),
  };
}

/**
 * Counts one hit for `ip` and (when given) `email`. `scope` keeps the counters of different
 * endpoints apart (e.g. "subscribe:"); the acceptance endpoint uses none.
 */
export async function countHit(db: D1Database, config: RateLimitConfig, ip: string, email: string | undefined, now = Date.now(), scope = ''): Promise<RateLimitResult> {
  const windowMs = config.windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  // Emails are hashed: the counter table is no place for another copy of personal data.
  const buckets: Array<['ip' | 'email', string, number]> = [['ip', `${scope}ip:${ip}`, config.perIp]];
  if (email) buckets.push(['email', `${scope}email:${await sha256Hex(email.trim().toLowerCase())}`, config.perEmail]);
  const placeholders = buckets.map(() => '(?, ?, 1)').join(', ');
  const [counted] = await db.batch<{ bucket: string; hits: number }>([
    db
      .prepare(`INSERT INTO acceptance_rate_limits (bucket, window_start, hits) VALUES ${placeholders} ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING bucket, hits`)
      .bind(...buckets.flatMap(([, bucket]) => [bucket, windowStart])),
    db.prepare('DELETE FROM acceptance_rate_limits WHERE window_start < ?').bind(windowStart - windowMs),
  ]);
  const hits = new Map((counted?.results ?? []).map((row) => [row.bucket, row.hits]));
  return {
    exceeded: buckets.filter(([, bucket, limit]) => (hits.get(bucket) ?? 0) > limit).map(([kind]) => kind),
    retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  };
}

/**
 * Deletes counters of windows that ended more than one window ago, for every limit at once (run
 * by the Cron Trigger). countHit() deletes them too, but only when another request comes; the
 * privacy notice promises a retention period (content/legal/privacy.yaml, "rate-limits"), so on
 * a quiet site the cron keeps it. Returns how many rows it deleted.
 */
export async function purgeExpiredCounters(db: D1Database, configs: readonly RateLimitConfig[], now = Date.now()): Promise<number> {
  const longestWindowMs = Math.max(...configs.map((config) => config.windowSeconds)) * 1000;
  const result = await db.prepare('DELETE FROM acceptance_rate_limits WHERE window_start < ?').bind(now - 2 * longestWindowMs).run();
  return result.meta.changes ?? 0;
}
