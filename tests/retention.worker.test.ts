import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

/*
 * The privacy notice promises how long rate-limit counters (keyed hashes of IP addresses and emails) are
 * kept; the Cron Trigger deletes them after two of the longest windows even when no further
 * request comes that would delete them on the way.
 */
describe('retention of rate-limit counters', () => {
  let worker: WorkerHandle;
  beforeAll(async () => {
    // Windows of 10 minutes (acceptances) and one hour (sign-ups): kept at most two hours.
    worker = await startWorker({ vars: { ACCEPTANCE_RATE_WINDOW_SECONDS: '600', SUBSCRIPTION_RATE_WINDOW_SECONDS: '3600' } });
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('the cron deletes counters older than two of the longest windows and keeps the rest', async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const hour = 3_600_000;
    const rows = [
      ['ip:203.0.113.1', now - 3 * hour],
      ['subscribe:ip:203.0.113.2', now - 2 * hour - 1],
      ['ip:203.0.113.3', now - 2 * hour + 60_000],
      ['ip:203.0.113.4', now - 10 * 60_000],
    ] as const;
    await worker.db.batch(rows.map(([bucket, windowStart]) => worker.db.prepare('INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)').bind(bucket, windowStart)));
    await worker.scheduled(new Date(now));
    const left = await worker.db.prepare('SELECT bucket FROM rate_limits ORDER BY bucket').all<{ bucket: string }>();
    expect(left.results.map((row) => row.bucket)).toEqual(['ip:203.0.113.3', 'ip:203.0.113.4']);
  });
});
