import type { Context, MiddlewareHandler } from 'hono';
import { keyedHash } from '../lib/data-keys.ts';
import { positiveIntVar } from '../lib/env-vars.ts';
import { clientIp } from '../lib/client-ip.ts';
import { problemType } from '../lib/problem-types.ts';
import { problem } from '../problem.ts';
import { timed } from './server-timing.ts';
import type { Bucket } from './rate-limit-store.ts';
import { unavailable } from './storage.ts';

/**
 * Fixed-window rate limits kept by RateLimitCounter Durable Objects (rate-limit-counter.ts) in
 * their own storage: one call per request instead of a D1 write, which cost as much as the
 * whole acceptance it guarded (issue 12). Not Cloudflare's Rate Limiting binding, because the
 * binding cannot say when a client may retry (Retry-After), allows only 10 s or 60 s periods,
 * and its limits live in wrangler.toml where a benchmark cannot raise them per run.
 */
export interface RateLimitConfig {
  /** Requests per window from one client IP, whatever they name. */
  perIp: number;
  /** Requests per window from one client IP naming the same email address. */
  perEmail: number;
  windowSeconds: number;
}

/** From the vars ACCEPTANCE_RATE_LIMIT_PER_IP / _PER_EMAIL / ACCEPTANCE_RATE_WINDOW_SECONDS. */
export function acceptanceRateLimits(env: Env): RateLimitConfig {
  return {
    perIp: positiveIntVar(env.ACCEPTANCE_RATE_LIMIT_PER_IP, 60),
    perEmail: positiveIntVar(env.ACCEPTANCE_RATE_LIMIT_PER_EMAIL, 10),
    windowSeconds: positiveIntVar(env.ACCEPTANCE_RATE_WINDOW_SECONDS, 600),
  };
}

/**
 * From the vars SUBSCRIPTION_RATE_LIMIT_PER_IP / _PER_EMAIL / SUBSCRIPTION_RATE_WINDOW_SECONDS:
 * for every form that makes the Worker mail someone (subscriptions, webhook registrations), so
 * none can be used to flood a mailbox.
 */
export function mailingRateLimits(env: Env): RateLimitConfig {
  return {
    perIp: positiveIntVar(env.SUBSCRIPTION_RATE_LIMIT_PER_IP, 20),
    perEmail: positiveIntVar(env.SUBSCRIPTION_RATE_LIMIT_PER_EMAIL, 3),
    windowSeconds: positiveIntVar(env.SUBSCRIPTION_RATE_WINDOW_SECONDS, 3600),
  };
}

export interface RateLimitOptions<E extends { Variables: Record<string, unknown> }> {
  /** Keeps the counters of different endpoints apart, e.g. "subscribe". */
  scope: string;
  limits: (env: Env) => RateLimitConfig;
  /** The email address the (already validated) request names, if any. */
  email?: (c: Context<E>) => string | undefined;
  /** What is being limited, for the problem title: "acceptances", "sign-ups". */
  what: string;
}

/**
 * The one rate-limit middleware. It runs AFTER validation, so only well-formed requests count:
 * garbage naming someone's address costs that person nothing. Every bucket is keyed by the
 * requesting client IP — the email bucket by (IP, address) — so no party can use up another
 * party's quota: a request from elsewhere naming a victim's address counts against the sender.
 * Bucket names are keyed hashes (HMAC under ENCRYPTION_KEYS), so the counters hold neither IP
 * addresses nor anything an address could be recovered from by hashing guesses.
 */
export function rateLimit<E extends { Bindings: Env; Variables: Record<string, unknown> }>(options: RateLimitOptions<E>): MiddlewareHandler<E> {
  return async (c, next) => {
    const config = options.limits(c.env);
    const ip = clientIp(c) ?? 'unknown';
    const email = options.email?.(c)?.trim().toLowerCase();
    let result;
    try {
      const ipBucket = await keyedHash(c.env, 'rate-limit', `${options.scope}\nip\n${ip}`);
      const buckets: Bucket<'ip' | 'email'>[] = [{ kind: 'ip', name: ipBucket, limit: config.perIp }];
      if (email) buckets.push({ kind: 'email', name: await keyedHash(c.env, 'rate-limit', `${options.scope}\nemail\n${ip}\n${email}`), limit: config.perEmail });
      const counter = c.env.RATE_LIMIT_COUNTER.get(c.env.RATE_LIMIT_COUNTER.idFromName(counterName(options.scope, ipBucket)));
      result = await timed(c, 'rate-limit', () => counter.count({ buckets, windowSeconds: config.windowSeconds, now: Date.now() }));
    } catch (error) {
      console.error('rate limit not counted', error);
      return unavailable(c, error);
    }
    if (result.exceeded.length > 0) {
      const from = result.exceeded.includes('email') ? 'this address from your network' : 'your network';
      return problem(
        c,
        429,
        `Too many ${options.what}`,
        { type: problemType('rate-limited'), detail: `Too many ${options.what} for ${from}. Try again in ${Math.ceil(result.retryAfter / 60)} minute(s).` },
        { 'retry-after': String(result.retryAfter) },
      );
    }
    return next();
  };
}

/**
 * The object that counts the buckets whose IP bucket is `ipBucket` (a base64url HMAC) in
 * `scope`: one of 64 per scope, by the hash's first character. A client's buckets all go to the
 * shard its IP bucket names, so one call counts them together; clients spread evenly over the
 * shards (the HMAC is uniform), so no single object carries a whole endpoint's traffic.
 */
export function counterName(scope: string, ipBucket: string): string {
  return `${scope}/${ipBucket.slice(0, 1)}`;
}
