import { z } from 'zod';

/**
 * The SQL of the rate-limit counters kept in each RateLimitCounter Durable Object's own SQLite
 * storage (functions/pipeline/rate-limit-counter.ts). Calls are synchronous: the storage lives
 * with the object, so counting costs no round trip to D1.
 */

/** One row per bucket and window; `expires_at` is when the privacy notice's retention ends for it. */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS counters (
    bucket TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
  ) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS counters_by_expiry ON counters (expires_at)',
];

const HitsRow = z.object({ hits: z.number().int().positive() });
const ExpiryRow = z.object({ next: z.number().int().nullable() });

/** Creates the table on first use of an object (idempotent). */
export function ensureCounterSchema(sql: SqlStorage): void {
  for (const statement of SCHEMA) sql.exec(statement);
}

/** Counts one hit in `bucket`'s window starting at `windowStart`; returns the hits so far, this one included. */
export function countHit(sql: SqlStorage, bucket: string, windowStart: number, expiresAt: number): number {
  const row = sql
    .exec('INSERT INTO counters (bucket, window_start, expires_at, hits) VALUES (?, ?, ?, 1) ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits', bucket, windowStart, expiresAt)
    .one();
  return HitsRow.parse(row).hits;
}

/** Deletes every counter whose retention has ended at `now`; returns how many. */
export function deleteExpiredCounters(sql: SqlStorage, now: number): number {
  return sql.exec('DELETE FROM counters WHERE expires_at <= ?', now).rowsWritten;
}

/** When the next counter's retention ends (null: none left). */
export function nextExpiry(sql: SqlStorage): number | null {
  return ExpiryRow.parse(sql.exec('SELECT MIN(expires_at) AS next FROM counters').one()).next;
}
