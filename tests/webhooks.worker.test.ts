import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle, type WorkerOptions } from './setup/worker-harness.ts';
import { PUBLIC_RECORDS, startDnsOverHttps } from './support/dns.ts';
import { DISPATCH_TIME, makeRetriesDue, seedSubscribers, startReceiver, tempMailSink, waitForDeliveries } from './support/notices.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function setup(options: WorkerOptions & { respond?: (index: number) => number } = {}) {
  const sink = await tempMailSink();
  cleanup.push(() => sink.close());
  const receiver = await startReceiver(options.respond);
  cleanup.push(() => receiver.close());
  const w = await startWorker({ ...options, vars: { ...sink.vars, ENVIRONMENT: 'development', ...options.vars } });
  cleanup.push(() => w.dispose());
  return { sink, receiver, w };
}

type Sink = Awaited<ReturnType<typeof tempMailSink>>;

const register = (w: WorkerHandle, body: unknown) =>
  w.fetch('/api/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Registers `url`, opens the link from the owner's mail, confirms, and returns the secret shown. */
async function registerAndConfirm(w: WorkerHandle, sink: Sink, url: string, ownerEmail = 'ops@customer.example'): Promise<string> {
  const response = await register(w, { url, topics: ['subprocessor-changes'], ownerEmail, lang: 'en' });
  expect(response.status).toBe(202);
  await response.arrayBuffer();
  const mail = await sink.waitFor((message) => message.envelope.to[0] === ownerEmail && /confirm/i.test(message.parsed.subject ?? ''));
  const link = /https?:\/\/\S+\/api\/webhooks\/confirm\?\S+/.exec(mail.parsed.text ?? '')![0];
  const confirmUrl = new URL(link);

  // GET only shows a page (mail scanners prefetch links); nothing is active yet.
  const page = await w.fetch(confirmUrl.pathname + confirmUrl.search);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post" action="/api/webhooks/confirm">');
  expect((await w.db.prepare('SELECT status FROM webhook_endpoints').first<{ status: string }>())?.status).toBe('pending');

  const token = confirmUrl.searchParams.get('token')!;
  const confirmed = await w.fetch('/api/webhooks/confirm', { method: 'POST', body: new URLSearchParams({ token }) });
  expect(confirmed.status).toBe(200);
  const secret = /whsec_[A-Za-z0-9+/=]+/.exec(await confirmed.text())![0];

  // The token works once.
  const again = await w.fetch('/api/webhooks/confirm', { method: 'POST', body: new URLSearchParams({ token }) });
  expect(again.status).toBe(404);
  expect(await again.text()).toMatch(/invalid|ungültig/i);
  return secret;
}

describe('webhook deliveries (Standard Webhooks)', () => {
  it('delivers a notice whose signature the standardwebhooks reference library verifies', async () => {
    const { sink, receiver, w } = await setup();
    const secret = await registerAndConfirm(w, sink, receiver.url);
    expect(secret).toMatch(/^whsec_/);
    await w.scheduled(DISPATCH_TIME);
    const [row] = await waitForDeliveries(w, (rows) => rows[0]?.state === 'sent');
    expect(row).toMatchObject({ channel: 'webhook', http_status: 204, attempts: 1, recipient_address: receiver.url });

    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    const payload = new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(hook!.headers['webhook-id']).toBe(`msg_${row!.id.slice(3)}`);
    expect(payload.type).toBe('subprocessor-change.announced');
    expect(payload.data).toMatchObject({
      changeId: '2026-11-ki-funktionen-sprachraum',
      receivedOn: row!.received_on,
      responseDeadline: row!.objection_deadline,
      declarationUrl: 'https://trust.wolkenwerk.example/en/changes/2026-11-ki-funktionen-sprachraum/#how-to-object',
      terms: { right: 'objection', ruleId: 'widerspruch', governingAvvVersion: '2.0' },
    });
    // A wrong secret fails verification: the check above is not vacuous.
    expect(() => new Webhook(`whsec_${btoa('another secret of 24 bytes!!')}`).verify(hook!.body, hook!.headers as Record<string, string>)).toThrow();
  });

  it('retries with backoff under the same webhook-id, then delivers once', async () => {
    const { sink, receiver, w } = await setup({ respond: (index) => (index === 0 ? 503 : 200) });
    const secret = await registerAndConfirm(w, sink, receiver.url);
    await w.scheduled(DISPATCH_TIME);
    const [retry] = await waitForDeliveries(w, (rows) => rows[0]?.state === 'retry');
    expect(retry).toMatchObject({ http_status: 503, attempts: 1 });
    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    await waitForDeliveries(w, (rows) => rows[0]?.state === 'sent');
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 30 * 60_000));

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    for (const hook of [first!, second!]) expect(() => new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
  });

  it('410 Gone disables the endpoint at once and tells the owner', async () => {
    const { sink, receiver, w } = await setup({ respond: () => 410 });
    await registerAndConfirm(w, sink, receiver.url, 'gone-owner@customer.example');
    await w.scheduled(DISPATCH_TIME);
    const [row] = await waitForDeliveries(w, (rows) => rows[0]?.state === 'failed');
    expect(row).toMatchObject({ http_status: 410, attempts: 1 });
    const endpoint = await w.db.prepare('SELECT status, disabled_reason FROM webhook_endpoints').first<{ status: string; disabled_reason: string }>();
    expect(endpoint).toMatchObject({ status: 'disabled', disabled_reason: expect.stringMatching(/410/) });
    const mail = await sink.waitFor((message) => message.envelope.to[0] === 'gone-owner@customer.example' && /disabled/.test(message.parsed.subject ?? ''));
    expect(mail.parsed.text).toContain(receiver.url);
    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    expect(receiver.received).toHaveLength(1);
  });

  it('disables an endpoint that keeps failing after NOTICE_MAX_ATTEMPTS and emails its owner', async () => {
    const { sink, receiver, w } = await setup({ respond: () => 500, vars: { NOTICE_MAX_ATTEMPTS: '3' } });
    await registerAndConfirm(w, sink, receiver.url, 'owner@customer.example');
    // Email subscribers of the same event are unaffected by a failing endpoint.
    await seedSubscribers(w, [{ id: 'sub-1', email: 'reader@example.com' }]);
    await w.scheduled(DISPATCH_TIME);
    for (let attempt = 1; attempt < 3; attempt++) {
      await waitForDeliveries(w, (rows) => rows.find((row) => row.channel === 'webhook')?.state === 'retry' && rows.find((row) => row.channel === 'webhook')?.attempts === attempt);
      await makeRetriesDue(w);
      await w.scheduled(new Date(DISPATCH_TIME.getTime() + attempt * 15 * 60_000));
    }
    const rows = await waitForDeliveries(w, (all) => all.find((row) => row.channel === 'webhook')?.state === 'failed');
    expect(rows.find((row) => row.channel === 'webhook')).toMatchObject({ attempts: 3, http_status: 500, last_error: expect.stringMatching(/gave up after 3 attempts/) });
    expect(rows.find((row) => row.channel === 'email')?.state).toBe('sent');
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    expect((await w.db.prepare('SELECT status FROM webhook_endpoints').first<{ status: string }>())?.status).toBe('disabled');
    const mail = await sink.waitFor((message) => message.envelope.to[0] === 'owner@customer.example' && /disabled/.test(message.parsed.subject ?? ''));
    expect(mail.parsed.text).toMatch(/kept failing/);
  });
});

/** A production Worker (no localhost receivers) whose resolver knows PUBLIC_RECORDS. */
async function productionWorker(vars: Record<string, string>): Promise<WorkerHandle> {
  const dns = await startDnsOverHttps(PUBLIC_RECORDS);
  cleanup.push(() => dns.close());
  const w = await startWorker({ vars: { DNS_OVER_HTTPS_URL: dns.url, ...vars } });
  cleanup.push(() => w.dispose());
  return w;
}

describe('POST /api/webhooks', () => {
  it('refuses private, loopback, metadata and plain-http targets in production (SSRF guard), naming the field', async () => {
    const sink = await tempMailSink();
    cleanup.push(() => sink.close());
    // Thirteen registrations of one owner: limits out of the way (they have their own test).
    const w = await productionWorker({ ...sink.vars, SUBSCRIPTION_RATE_LIMIT_PER_EMAIL: '100', SUBSCRIPTION_RATE_LIMIT_PER_IP: '100' });
    for (const url of [
      // Trailing dots name the same hosts; localhost.localdomain is localhost.
      'https://localhost./x',
      'https://metadata.google.internal./x',
      'https://localhost.localdomain/x',
      // Names that resolve to loopback or metadata addresses (one bad address is enough).
      'https://rebind.example.com/x',
      'https://metadata.example.com/x',
      'https://v6-loopback.example.com/x',
      'https://does-not-resolve.example.com/x',
      // IPv6 forms that embed 127.0.0.1 or 169.254.169.254.
      'https://[::ffff:127.0.0.1]/x',
      'https://[::127.0.0.1]/x',
      'https://[::ffff:0:7f00:1]/x',
      'https://[64:ff9b::169.254.169.254]/x',
      'https://[2002:a9fe:a9fe::1]/x',
      'http://hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://10.1.2.3/x',
      'https://192.168.0.10/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://2130706433/x',
      'https://metadata.google.internal/x',
      'https://printer.local/x',
      'https://user:pw@hooks.example.com/x',
    ]) {
      const response = await register(w, { url, topics: ['subprocessor-changes'], ownerEmail: 'ops@customer.example' });
      expect(response.status, url).toBe(400);
      expect(await response.json(), url).toMatchObject({ status: 400, invalidParams: [{ name: 'url' }] });
    }
    expect((await w.db.prepare('SELECT COUNT(*) AS n FROM webhook_endpoints').first<{ n: number }>())?.n).toBe(0);
    const ok = await register(w, { url: 'https://hooks.example.com/trust-center', topics: ['subprocessor-changes'], ownerEmail: 'ops@customer.example' });
    expect(ok.status).toBe(202);
    await ok.arrayBuffer();
  });

  it('answers 400 naming each bad field, 415 for non-JSON and 413 for oversized bodies', async () => {
    const sink = await tempMailSink();
    cleanup.push(() => sink.close());
    const w = await productionWorker(sink.vars);
    const bad = await register(w, { url: 'https://hooks.example.com/x', topics: ['weather'], ownerEmail: 'not-an-email' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { invalidParams: Array<{ name: string }> };
    expect(body.invalidParams.map((param) => param.name).sort()).toEqual(['ownerEmail', 'topics.0']);
    const form = await w.fetch('/api/webhooks', { method: 'POST', body: new URLSearchParams({ url: 'https://hooks.example.com/x' }) });
    expect(form.status).toBe(415);
    await form.arrayBuffer();
    const huge = await register(w, { url: `https://hooks.example.com/${'x'.repeat(9000)}`, topics: ['subprocessor-changes'], ownerEmail: 'ops@customer.example' });
    expect(huge.status).toBe(413);
    await huge.arrayBuffer();
    const get = await w.fetch('/api/webhooks');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.arrayBuffer();
  });

  it('limits registrations per owner address: 429 with Retry-After', async () => {
    const sink = await tempMailSink();
    cleanup.push(() => sink.close());
    const w = await productionWorker({ ...sink.vars, SUBSCRIPTION_RATE_LIMIT_PER_EMAIL: '2' });
    const statuses = [];
    for (let index = 0; index < 3; index++) {
      const response = await register(w, { url: `https://hooks.example.com/${index}`, topics: ['avv-versions'], ownerEmail: 'Same@Customer.example' });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await response.json()).toMatchObject({ type: 'urn:trust-center:problem:rate-limited' });
      } else await response.arrayBuffer();
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect((await w.db.prepare('SELECT COUNT(*) AS n FROM webhook_endpoints').first<{ n: number }>())?.n).toBe(2);
  });

  it('shows a clear page for an unknown confirmation link', async () => {
    const w = await startWorker();
    cleanup.push(() => w.dispose());
    const response = await w.fetch(`/api/webhooks/confirm?token=${'0'.repeat(64)}&lang=de`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Link ungültig oder abgelaufen');
  });
});
