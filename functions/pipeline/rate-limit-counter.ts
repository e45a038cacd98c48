import { DurableObject } from 'cloudflare:workers';
import { countHit, deleteExpiredCounters, ensureCounterSchema, nextExpiry } from './rate-limit-counter-store.ts';
import { windowOf, type Bucket, type WindowCount } from './rate-limit-store.ts';

/** What the rate-limit middleware asks one counter object to count. */
export interface CountRequest {
  /** Every bucket of the request; all of them belong to the same client IP, so to this object. */
  buckets: Bucket<string>[];
  windowSeconds: number;
  /** Epoch ms of the request (the Worker's clock, as the window the answer names). */
  now: number;
}

/**
 * Rate-limit counters (fixed windows) for a shard of client IPs, in the object's own SQLite
 * storage: one call from the middleware per request, no D1 write. A Durable Object is one
 * instance worldwide and handles one call at a time between awaits, so counts from any number
 * of Worker isolates are exact; stored rather than only held in memory, they survive the
 * object being evicted or restarted (a client cannot reset its window by pausing).
 *
 * Rows hold only keyed hashes (HMAC under ENCRYPTION_KEYS, computed by the Worker) and counts,
 * as the privacy notice says (content/legal/privacy.yaml, "rate-limits"). Each row is deleted
 * two windows after its window started, by an alarm, so the promised retention holds even when
 * no further request comes.
 */
export class RateLimitCounter extends DurableObject<Env> {
  /** The alarm time in storage as last seen or set; undefined until read once. */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ensureCounterSchema(ctx.storage.sql);
  }

  /** Counts one hit in every bucket; says which are now over their limit. */
  async count(request: CountRequest): Promise<WindowCount<string>> {
    const window = windowOf(request.windowSeconds, request.now);
    const expiresAt = window.start + 2 * window.ms;
    const exceeded = request.buckets.filter((bucket) => countHit(this.ctx.storage.sql, bucket.name, window.start, expiresAt) > bucket.limit).map((bucket) => bucket.kind);
    await this.#deleteBy(expiresAt);
    return { exceeded, retryAfter: window.retryAfter };
  }

  /** Deletes what has expired and wakes up again when the next counter does. */
  override async alarm(): Promise<void> {
    deleteExpiredCounters(this.ctx.storage.sql, Date.now());
    this.#alarmAt = nextExpiry(this.ctx.storage.sql);
    if (this.#alarmAt !== null) await this.ctx.storage.setAlarm(this.#alarmAt);
  }

  /** Makes sure an alarm fires no later than `expiresAt`. */
  async #deleteBy(expiresAt: number): Promise<void> {
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt !== null && this.#alarmAt <= expiresAt) return;
    this.#alarmAt = expiresAt;
    await this.ctx.storage.setAlarm(expiresAt);
  }
}
