import { z } from 'zod';

/** One counter to raise: its keyed name, its kind (named in the answer) and its limit. */
export interface Bucket<Kind extends string> {
  kind: Kind;
  name: string;
  limit: number;
}

export interface WindowCount<Kind extends string> {
  /** Kinds of bucket now over their limit, e.g. ["ip"]. */
  exceeded: Kind[];
  /** Seconds until the current window ends. */
  retryAfter: number;
}

const CountedRow = z.object({ bucket: z.string(), hits: z.number().int() });

/** The fixed window `now` falls in, and the seconds until it ends (Retry-After). */
export function windowOf(windowSeconds: number, now: number): { start: number; ms: number; retryAfter: number } {
  const ms = windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return { start, ms, retryAfter: Math.max(1, Math.ceil((start + ms - now) / 1000)) };
}

/**
 * The failed-attempt counters in D1 (`rate_limits`, attempt-limit.ts: they count only wrong
 * secrets, never a normal request); the per-request limits count in RateLimitCounter objects.
 * Counts one hit in every bucket with one upsert (and drops windows older than the previous
 * one in the same batch), then says which buckets are over their limit.
 */
export async function countInWindow<Kind extends string>(db: D1Database, buckets: Bucket<Kind>[], windowSeconds: number, now: number): Promise<WindowCount<Kind>> {
  const window = windowOf(windowSeconds, now);
  const [counted] = await db.batch([
    db
      .prepare(`INSERT INTO rate_limits (bucket, window_start, hits) VALUES ${buckets.map(() => '(?, ?, 1)').join(', ')} ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING bucket, hits`)
      .bind(...buckets.flatMap((bucket) => [bucket.name, window.start])),
    db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(window.start - window.ms),
  ]);
  const hits = new Map((counted?.results ?? []).map((row) => CountedRow.parse(row)).map((row) => [row.bucket, row.hits]));
  return { exceeded: buckets.filter((bucket) => (hits.get(bucket.name) ?? 0) > bucket.limit).map((bucket) => bucket.kind), retryAfter: window.retryAfter };
}

/** Hits so far in the current window of one bucket (0 when none), without counting one. */
export async function hitsInWindow(db: D1Database, bucket: string, windowSeconds: number, now: number): Promise<{ hits: number; retryAfter: number }> {
  const window = windowOf(windowSeconds, now);
  const row = await db.prepare('SELECT bucket, hits FROM rate_limits WHERE bucket = ? AND window_start = ?').bind(bucket, window.start).first();
  return { hits: row === null ? 0 : CountedRow.parse(row).hits, retryAfter: window.retryAfter };
}

/**
 * Deletes counters whose window started before `cutoff`, for every limit at once (run by the
 * Cron Trigger with the period of the privacy notice's rule "rate-limit-counters").
 * countInWindow() deletes old windows too, but only when another request comes; on a quiet
 * site the cron keeps the promise. Returns how many rows it deleted.
 */
export async function purgeExpiredCounters(db: D1Database, cutoff: Date): Promise<number> {
  const result = await db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(cutoff.getTime()).run();
  return result.meta.changes ?? 0;
}
