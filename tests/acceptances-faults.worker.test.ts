import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/cli/ledger-verify.ts';
import { startWorker, type WorkerHandle, type WorkerOptions } from './setup/worker-harness.ts';
import { appendDirectly, count, d1Source, logKeyOf, manifestOf, postJson, validSubmission } from './support/acceptance.ts';

// Each test starts its own Worker (own D1, own limits): faults and counters never leak.
const started: WorkerHandle[] = [];
async function worker(options?: WorkerOptions): Promise<WorkerHandle> {
  const handle = await startWorker(options);
  started.push(handle);
  return handle;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

describe('rate limits', () => {
  it('429 with Retry-After once one client names the same email too often', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_EMAIL: '2', ACCEPTANCE_RATE_LIMIT_PER_IP: '100' } });
    const manifest = await manifestOf(w);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await postJson(w, validSubmission(manifest, { signerEmail: 'Same@Example.com', companyName: `Firma ${i}` }), { 'cf-connecting-ip': '192.0.2.1' });
      statuses.push(response.status);
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(600);
        expect(await response.json()).toMatchObject({ status: 429, type: 'urn:trust-center:problem:rate-limited' });
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses).toEqual([201, 201, 429]);
    // Another email is not affected.
    expect((await postJson(w, validSubmission(manifest, { signerEmail: 'other@example.com' }), { 'cf-connecting-ip': '192.0.2.1' })).status).toBe(201);
  });

  it('never lets others use up a person’s quota: requests naming their email from other IPs count against those IPs', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_EMAIL: '2', ACCEPTANCE_RATE_LIMIT_PER_IP: '100' } });
    const manifest = await manifestOf(w);
    for (let i = 0; i < 3; i++) {
      const response = await postJson(w, validSubmission(manifest, { signerEmail: 'victim@example.com', companyName: `Angreifer ${i}` }), { 'cf-connecting-ip': '198.51.100.66' });
      await response.arrayBuffer();
    }
    const own = await postJson(w, validSubmission(manifest, { signerEmail: 'victim@example.com', companyName: 'Opfer GmbH' }), { 'cf-connecting-ip': '203.0.113.10' });
    expect(own.status).toBe(201);
  });

  it('counts only well-formed requests: invalid ones naming a victim’s email lock nobody out', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_EMAIL: '2', ACCEPTANCE_RATE_LIMIT_PER_IP: '3' } });
    const manifest = await manifestOf(w);
    for (let i = 0; i < 20; i++) {
      const response = await postJson(w, { signerEmail: 'victim@example.com', companyName: '' }, { 'cf-connecting-ip': '192.0.2.55' });
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    }
    expect(await w.objectRows('RateLimitCounter', 'SELECT bucket FROM counters')).toEqual([]);
    const own = await postJson(w, validSubmission(manifest, { signerEmail: 'victim@example.com' }), { 'cf-connecting-ip': '192.0.2.55' });
    expect(own.status).toBe(201);
  });

  it('keeps neither IPs nor plain email hashes in the counters', async () => {
    const w = await worker();
    const manifest = await manifestOf(w);
    expect((await postJson(w, validSubmission(manifest, { signerEmail: 'keyed@example.com' }), { 'cf-connecting-ip': '192.0.2.77' })).status).toBe(201);
    const results = await w.objectRows('RateLimitCounter', 'SELECT bucket FROM counters');
    expect(results.length).toBe(2);
    // Nothing else holds request data: no counter row in D1 either.
    expect(await count(w, 'rate_limits')).toBe(0);
    const plainHash = createHash('sha256').update('keyed@example.com').digest('hex');
    for (const { bucket } of results) {
      expect(bucket).not.toContain('192.0.2.77');
      expect(bucket).not.toContain(plainHash);
      expect(bucket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('429 once one IP exceeds its limit, whatever the emails', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '3' } });
    const manifest = await manifestOf(w);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await postJson(w, validSubmission(manifest, { signerEmail: `p${i}@example.com` }), { 'cf-connecting-ip': '198.51.100.1' });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(await count(w, 'acceptances')).toBe(3);
    expect((await postJson(w, validSubmission(manifest, { signerEmail: 'p9@example.com' }), { 'cf-connecting-ip': '198.51.100.2' })).status).toBe(201);
  });

  it('keeps counting across an eviction of the counter objects: pausing does not reset a window', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '2' } });
    const manifest = await manifestOf(w);
    for (let i = 0; i < 2; i++) expect((await postJson(w, validSubmission(manifest, { signerEmail: `e${i}@example.com` }), { 'cf-connecting-ip': '198.51.100.7' })).status).toBe(201);
    await w.evictObjects('RateLimitCounter');
    const third = await postJson(w, validSubmission(manifest, { signerEmail: 'e2@example.com' }), { 'cf-connecting-ip': '198.51.100.7' });
    expect(third.status).toBe(429);
    await third.arrayBuffer();
  });

  it('counts one client from many Worker isolates exactly: the limit holds under concurrency', async () => {
    const w = await worker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '5' }, instances: 3 });
    const manifest = await manifestOf(w);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        w.fetchInstance(i % 3, '/api/acceptances', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'cf-connecting-ip': '198.51.100.8' },
          body: JSON.stringify(validSubmission(manifest, { signerEmail: `c${i}@example.com` })),
        }),
      ),
    );
    const statuses = await Promise.all(responses.map(async (response) => (await response.arrayBuffer(), response.status)));
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it('deletes counters two windows after their window started, with no further request (privacy notice retention)', async () => {
    // One-second windows, so the alarm that deletes them is due two seconds in.
    const w = await worker({ vars: { ACCEPTANCE_RATE_WINDOW_SECONDS: '1' } });
    const manifest = await manifestOf(w);
    expect((await postJson(w, validSubmission(manifest, { signerEmail: 'kept@example.com' }), { 'cf-connecting-ip': '198.51.100.9' })).status).toBe(201);
    expect(await w.objectRows('RateLimitCounter', 'SELECT bucket FROM counters')).toHaveLength(2);
    const deadline = Date.now() + 20_000;
    while ((await w.objectRows('RateLimitCounter', 'SELECT bucket FROM counters')).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await w.objectRows('RateLimitCounter', 'SELECT bucket FROM counters')).toEqual([]);
  });
});

describe('D1 failure in the middle of the write', () => {
  it('answers 503 "retry", leaves no partial record, and the retry succeeds', async () => {
    const w = await worker();
    const manifest = await manifestOf(w);
    // The record INSERT runs first in the batch; this makes the head INSERT after it fail, as
    // if D1 broke between the two statements. Atomicity means the record must vanish too.
    await w.db.prepare("CREATE TRIGGER inject_failure BEFORE INSERT ON acceptance_log_heads BEGIN SELECT RAISE(ABORT, 'injected failure'); END").run();
    const body = validSubmission(manifest);
    const key = crypto.randomUUID();
    const failed = await postJson(w, body, { 'idempotency-key': key });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(await failed.json()).toMatchObject({ type: 'urn:trust-center:problem:storage-unavailable', detail: expect.stringMatching(/nothing was stored/) });
    expect(await count(w, 'acceptances')).toBe(0);
    expect(await count(w, 'acceptance_log_heads')).toBe(0);

    await w.db.prepare('DROP TRIGGER inject_failure').run();
    const retried = await postJson(w, body, { 'idempotency-key': key });
    expect(retried.status).toBe(201);
    expect(await count(w, 'acceptances')).toBe(1);
    expect(await count(w, 'acceptance_log_heads')).toBe(1);
    expect((await verifyLedger(d1Source(w), await logKeyOf(w, manifest))).ok).toBe(true);
  });

  it('answers 503 when D1 refuses the record itself', async () => {
    const w = await worker();
    const manifest = await manifestOf(w);
    await w.db.prepare("CREATE TRIGGER inject_failure BEFORE INSERT ON acceptances BEGIN SELECT RAISE(ABORT, 'injected failure'); END").run();
    const response = await postJson(w, validSubmission(manifest));
    expect(response.status).toBe(503);
    await response.arrayBuffer();
    expect(await count(w, 'acceptance_log_heads')).toBe(0);
  });
});

describe('missing secrets', () => {
  it('takes no acceptance and publishes no key without RECEIPT_SIGNING_KEY, and admin is off without ADMIN_TOKEN', async () => {
    const w = await worker({ secrets: {} });
    const manifest = await manifestOf(w);
    const response = await postJson(w, validSubmission(manifest));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ type: 'urn:trust-center:problem:not-configured' });
    expect(await count(w, 'acceptances')).toBe(0);
    for (const path of ['/.well-known/trust-center/receipt-key.pem', '/api/ledger/public-key', '/api/ledger/checkpoint']) {
      const answer = await w.fetch(path);
      expect(answer.status, path).toBe(503);
      await answer.arrayBuffer();
    }
    const status = await w.fetch('/api/acceptances/status?account=A', { headers: { authorization: 'Bearer x' } });
    expect(status.status).toBe(503);
    await status.arrayBuffer();
  });
});

describe('GET /api/acceptances/status (admin)', () => {
  it('needs the admin token: 401 without, 403 with a wrong one', async () => {
    const w = await worker();
    const none = await w.fetch('/api/acceptances/status?account=ACC-1');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await none.arrayBuffer();
    const wrong = await w.fetch('/api/acceptances/status?account=ACC-1', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}x` } });
    expect(wrong.status).toBe(403);
    await wrong.arrayBuffer();
  });

  it('reports none, current and outdated acceptances per account', async () => {
    const w = await worker();
    const manifest = await manifestOf(w);
    const admin = { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` };
    const status = async (account: string) => (await w.fetch(`/api/acceptances/status?account=${encodeURIComponent(account)}`, { headers: admin })).json();
    const current = manifest.avvVersions.find((version) => version.status === 'current')!;

    expect(await status('NEW-1')).toMatchObject({ account: 'NEW-1', currentVersion: current.version, status: 'none', currentAcceptance: null, lastAcceptance: null, acceptances: [] });

    // An account that accepted only the superseded version 1.0 (before 2.0 took effect).
    const old = await appendDirectly(w, manifest, { accountId: 'OLD-1', avvVersion: '1.0', acceptedAt: '2025-06-02T10:00:00.000Z' });
    expect(await status('OLD-1')).toMatchObject({
      status: 'outdated',
      currentAcceptance: null,
      lastAcceptance: { recordId: old.record.recordId, avvVersion: '1.0', acceptedAt: '2025-06-02T10:00:00.000Z', outdated: true },
    });

    // Re-accepting the current version makes it current; the old acceptance stays listed as outdated.
    const accepted = await postJson(w, validSubmission(manifest, { accountId: 'OLD-1' }));
    expect(accepted.status).toBe(201);
    const receipt = (await accepted.json()) as { record: { recordId: string; acceptedAt: string } };
    expect(await status('OLD-1')).toMatchObject({
      status: 'current',
      currentAcceptance: { recordId: receipt.record.recordId, avvVersion: current.version, acceptedAt: receipt.record.acceptedAt, outdated: false },
      lastAcceptance: { recordId: receipt.record.recordId },
      acceptances: [{ avvVersion: current.version, outdated: false }, { avvVersion: '1.0', outdated: true }],
    });
    // The directly appended record is a faithful log entry.
    expect((await verifyLedger(d1Source(w), await logKeyOf(w, manifest))).ok).toBe(true);
  });

  it('400 naming the missing account parameter', async () => {
    const w = await worker();
    const response = await w.fetch('/api/acceptances/status', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ invalidParams: [{ name: 'account', reason: 'required' }] });
  });
});
