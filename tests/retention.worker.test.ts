import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

/*
 * The privacy notice (content/legal/privacy.yaml) states how long each kind of data is kept;
 * the Cron Trigger deletes it by exactly those periods (manifest `retention`), counted in
 * Europe/Berlin: "3 Jahre nach Ende des Kalenderjahres" of something that happened at 00:30 on
 * 1 January in Berlin (still 31 December in UTC) runs a year longer than of something at 23:30
 * on 31 December. Each job is run just before and at the end of its period.
 */

const HOUR = 3_600_000;
/** 1 January of `year`, 00:00 in Berlin (UTC+1 in winter). */
const berlinNewYear = (year: number) => new Date(Date.UTC(year - 1, 11, 31, 23));
const justBefore = (instant: Date) => new Date(instant.getTime() - 1);

let worker: WorkerHandle;
beforeAll(async () => {
  worker = await startWorker({ vars: { ACCEPTANCE_RATE_WINDOW_SECONDS: '600', SUBSCRIPTION_RATE_WINDOW_SECONDS: '3600' } });
});
afterAll(async () => {
  await worker?.dispose();
});

async function ids(sql: string): Promise<string[]> {
  return (await worker.db.prepare(sql).all<{ id: string }>()).results.map((row) => row.id);
}

describe('retention of rate-limit counters', () => {
  it('the cron deletes counters whose window began 3 hours ago or earlier and keeps the rest', async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const rows = [
      ['ip:203.0.113.1', now - 3 * HOUR - 1],
      ['subscribe:ip:203.0.113.2', now - 3 * HOUR],
      ['ip:203.0.113.3', now - 3 * HOUR + 1],
      ['ip:203.0.113.4', now - 10 * 60_000],
    ] as const;
    await worker.db.batch(rows.map(([bucket, windowStart]) => worker.db.prepare('INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)').bind(bucket, windowStart)));
    await worker.scheduled(new Date(now));
    const left = await worker.db.prepare('SELECT bucket FROM rate_limits ORDER BY bucket').all<{ bucket: string }>();
    expect(left.results.map((row) => row.bucket)).toEqual(['ip:203.0.113.3', 'ip:203.0.113.4']);
  });
});

describe('retention of subscriptions', () => {
  const signedUp = '2026-06-01T10:00:00.000Z';
  beforeAll(async () => {
    const subscriber = (id: string, status: string, unsubscribedAt: string | null, createdAt = signedUp) =>
      worker.db
        .prepare("INSERT INTO subscribers (id, email, lang, topics, status, created_at, confirmed_at, unsubscribed_at, unsubscribed_via) VALUES (?, ?, 'de', '[\"subprocessor-changes\"]', ?, ?, ?, ?, ?)")
        .bind(id, `${id}@example.com`, status, createdAt, status === 'pending' ? null : signedUp, unsubscribedAt, unsubscribedAt ? 'page' : null);
    const request = (subscriberId: string, requestedAt: string, confirmed: boolean) =>
      worker.db
        .prepare("INSERT INTO subscription_requests (subscriber_id, token_sha256, topics, lang, wording_version, requested_at, requested_ip, expires_at, confirmed_at, confirmed_ip) VALUES (?, ?, '[]', 'de', '1', ?, '198.51.100.7', ?, ?, ?)")
        .bind(subscriberId, crypto.randomUUID(), requestedAt, requestedAt, confirmed ? requestedAt : null, confirmed ? '198.51.100.7' : null);
    const delivery = (recipientId: string, channel: 'email' | 'webhook') =>
      worker.db
        .prepare("INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, queued_at, next_attempt_at) VALUES (?, 'tag:test,2026:retention', ?, ?, ?, 'de', 'sent', ?, 0)")
        .bind(crypto.randomUUID(), channel, recipientId, `${recipientId}@example.com`, signedUp);
    await worker.db.batch([
      worker.db.prepare("INSERT INTO notice_dispatches (event_id, topic, started_at, outcome) VALUES ('tag:test,2026:retention', 'subprocessor-changes', ?, 'sent')").bind(signedUp),
      // 23:59:59.999 on 31 December 2026 in Berlin: unsubscribed in 2026.
      subscriber('sub_late2026', 'unsubscribed', '2026-12-31T22:59:59.999Z'),
      // 00:00 on 1 January 2027 in Berlin, still 31 December in UTC: unsubscribed in 2027.
      subscriber('sub_early2027', 'unsubscribed', '2026-12-31T23:00:00.000Z'),
      subscriber('sub_confirmed', 'confirmed', null),
      // Unsubscribed in 2026, then signed up again: the new sign-up is pending.
      subscriber('sub_resigned', 'unsubscribed', '2026-03-01T10:00:00.000Z'),
      request('sub_late2026', signedUp, true),
      request('sub_early2027', signedUp, true),
      request('sub_confirmed', signedUp, true),
      request('sub_resigned', '2029-12-31T20:00:00.000Z', false),
      delivery('sub_late2026', 'email'),
      delivery('sub_early2027', 'email'),
      delivery('sub_confirmed', 'email'),
    ]);
  });

  it('keeps an unsubscribed address with its proof and delivery records to 00:00 Berlin on 1 January three years after the year of unsubscribing, then deletes them', async () => {
    await worker.scheduled(justBefore(berlinNewYear(2030)));
    expect(await ids("SELECT id FROM subscribers WHERE id LIKE 'sub_%' ORDER BY id")).toEqual(['sub_confirmed', 'sub_early2027', 'sub_late2026', 'sub_resigned']);

    await worker.scheduled(berlinNewYear(2030));
    expect(await ids("SELECT id FROM subscribers WHERE id LIKE 'sub_%' ORDER BY id")).toEqual(['sub_confirmed', 'sub_early2027', 'sub_resigned']);
    expect(await ids("SELECT subscriber_id AS id FROM subscription_requests WHERE subscriber_id = 'sub_late2026'")).toEqual([]);
    expect(await ids("SELECT recipient_id AS id FROM notice_deliveries WHERE channel = 'email' ORDER BY recipient_id")).toEqual(['sub_confirmed', 'sub_early2027']);

    // Unsubscribed at 00:00 on 1 January in Berlin: a year longer.
    await worker.scheduled(justBefore(berlinNewYear(2031)));
    expect(await ids("SELECT id FROM subscribers WHERE id = 'sub_early2027'")).toEqual(['sub_early2027']);
    await worker.scheduled(berlinNewYear(2031));
    expect(await ids("SELECT id FROM subscribers WHERE id LIKE 'sub_%' ORDER BY id")).toEqual(['sub_confirmed']);
    expect(await ids("SELECT recipient_id AS id FROM notice_deliveries WHERE channel = 'email' ORDER BY recipient_id")).toEqual(['sub_confirmed']);
  });

  it('deletes an unconfirmed sign-up 72 hours after it was made, not a millisecond earlier', async () => {
    const at = Date.UTC(2031, 5, 1, 8);
    await worker.db.batch([
      worker.db.prepare("INSERT INTO subscribers (id, email, lang, status, created_at) VALUES ('sub_pending', 'pending@example.com', 'de', 'pending', ?)").bind(new Date(at).toISOString()),
      worker.db
        .prepare("INSERT INTO subscription_requests (subscriber_id, token_sha256, topics, lang, wording_version, requested_at, expires_at) VALUES ('sub_pending', ?, '[]', 'de', '1', ?, ?)")
        .bind(crypto.randomUUID(), new Date(at).toISOString(), new Date(at + 48 * HOUR).toISOString()),
    ]);
    await worker.scheduled(new Date(at + 72 * HOUR - 1));
    expect(await ids("SELECT id FROM subscribers WHERE id = 'sub_pending'")).toEqual(['sub_pending']);
    await worker.scheduled(new Date(at + 72 * HOUR));
    expect(await ids("SELECT id FROM subscribers WHERE id = 'sub_pending'")).toEqual([]);
  });
});

describe('retention of webhooks', () => {
  const registered = '2026-05-01T10:00:00.000Z';
  const endpoint = (id: string, status: 'pending' | 'active' | 'disabled', disabledAt: string | null, registeredAt = registered) =>
    worker.db
      .prepare("INSERT INTO webhook_endpoints (id, url, topics, owner_email, lang, status, registered_at, registered_ip, confirmed_at, disabled_at, disabled_reason) VALUES (?, ?, '[\"subprocessor-changes\"]', 'ops@example.com', 'de', ?, ?, '198.51.100.9', ?, ?, ?)")
      .bind(id, `https://hooks.example.com/${id}`, status, registeredAt, status === 'pending' ? null : registeredAt, disabledAt, disabledAt ? 'HTTP 410' : null);
  const delivery = (recipientId: string) =>
    worker.db
      .prepare("INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, queued_at, next_attempt_at) VALUES (?, 'tag:test,2026:webhooks', 'webhook', ?, ?, 'de', 'sent', ?, 0)")
      .bind(crypto.randomUUID(), recipientId, `https://hooks.example.com/${recipientId}`, registered);
  beforeAll(async () => {
    await worker.db.batch([
      worker.db.prepare("INSERT INTO notice_dispatches (event_id, topic, started_at, outcome) VALUES ('tag:test,2026:webhooks', 'subprocessor-changes', ?, 'sent')").bind(registered),
      endpoint('ep_late2026', 'disabled', '2026-12-31T22:59:59.999Z'),
      endpoint('ep_early2027', 'disabled', '2026-12-31T23:00:00.000Z'),
      endpoint('ep_active', 'active', null),
      delivery('ep_late2026'),
      delivery('ep_early2027'),
      delivery('ep_active'),
    ]);
  });

  it('keeps a disabled endpoint and its delivery records to the end of the third year after the year it was disabled', async () => {
    await worker.scheduled(justBefore(berlinNewYear(2030)));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id LIKE 'ep_%' ORDER BY id")).toEqual(['ep_active', 'ep_early2027', 'ep_late2026']);
    await worker.scheduled(berlinNewYear(2030));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id LIKE 'ep_%' ORDER BY id")).toEqual(['ep_active', 'ep_early2027']);
    expect(await ids("SELECT recipient_id AS id FROM notice_deliveries WHERE channel = 'webhook' ORDER BY recipient_id")).toEqual(['ep_active', 'ep_early2027']);
    await worker.scheduled(justBefore(berlinNewYear(2031)));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id = 'ep_early2027'")).toEqual(['ep_early2027']);
    await worker.scheduled(berlinNewYear(2031));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id LIKE 'ep_%' ORDER BY id")).toEqual(['ep_active']);
    expect(await ids("SELECT recipient_id AS id FROM notice_deliveries WHERE channel = 'webhook'")).toEqual(['ep_active']);
  });

  it('deletes a registration never confirmed 72 hours after it was made', async () => {
    const at = Date.UTC(2031, 6, 1, 8);
    await endpoint('ep_pending', 'pending', null, new Date(at).toISOString()).run();
    await worker.scheduled(new Date(at + 72 * HOUR - 1));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id = 'ep_pending'")).toEqual(['ep_pending']);
    await worker.scheduled(new Date(at + 72 * HOUR));
    expect(await ids("SELECT id FROM webhook_endpoints WHERE id = 'ep_pending'")).toEqual([]);
  });
});
