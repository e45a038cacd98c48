import type { Context, MiddlewareHandler } from 'hono';
import { clientIp } from '../lib/client-ip.ts';
import { keyedHash } from '../lib/data-keys.ts';
import { problemType } from '../lib/problem-types.ts';
import { problem } from '../problem.ts';
import { countInWindow, hitsInWindow } from './rate-limit-store.ts';
import { unavailable } from './storage.ts';

/** Answers that mean "this secret was wrong": the ones an attacker guessing secrets collects. */
const FAILED = new Set([401, 403, 404, 410]);

export interface AttemptLimitOptions {
  /** Keeps the counters apart: "admin", "receipt", "subscription-token", "webhook-token". */
  scope: string;
  /** Failed attempts per client IP and window before further attempts get 429. */
  limit: number;
  windowSeconds: number;
  /**
   * Whether the request names a well-formed secret at all. Malformed ones are refused without
   * touching any secret, so they neither count nor write a counter row.
   */
  wellFormed?: (c: Context) => boolean;
  /** The same, for checks that read the (already bounded) body. */
  wellFormedAsync?: (c: Context) => Promise<boolean>;
}

/**
 * Attempt limits for everything guarded by a secret (admin token, confirmation and
 * unsubscribe tokens, receipt keys): each answer that says the secret was wrong counts against
 * the client IP; past `limit` in a window, the next attempts get 429 without being checked, so
 * secrets cannot be guessed at speed. Successful uses never count.
 */
export function limitFailedAttempts(options: AttemptLimitOptions): MiddlewareHandler {
  return async (c, next) => {
    if (options.wellFormed && !options.wellFormed(c)) return next();
    if (options.wellFormedAsync && !(await options.wellFormedAsync(c))) return next();
    let bucket: string;
    try {
      bucket = await keyedHash(c.env, 'rate-limit', `${options.scope}\nfailed\n${clientIp(c) ?? 'unknown'}`);
      const { hits, retryAfter } = await hitsInWindow(c.env.DB, bucket, options.windowSeconds, Date.now());
      if (hits >= options.limit) {
        return problem(
          c,
          429,
          'Too many failed attempts',
          { type: problemType('too-many-attempts'), detail: `Too many wrong links or keys from your network. Try again in ${Math.ceil(retryAfter / 60)} minute(s).` },
          { 'retry-after': String(retryAfter) },
        );
      }
    } catch (error) {
      console.error('attempt limit not checked', error);
      return unavailable(c, error);
    }
    await next();
    if (FAILED.has(c.res.status)) {
      await countInWindow(c.env.DB, [{ kind: 'failed', name: bucket, limit: options.limit }], options.windowSeconds, Date.now()).catch((error: unknown) => console.error('failed attempt not counted', error));
    }
    return undefined;
  };
}

/** Ten wrong secrets per IP in ten minutes: plenty for typos, nothing for guessing. */
export const SECRET_ATTEMPTS = { limit: 10, windowSeconds: 600 } as const;
