import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PER_REQUEST_ROUTES, WORKER_FIRST_PAGES } from '../functions/page-guards.ts';
import { CURRENT_SUBSCRIPTION_WORDING } from '../src/domain/subscription-wording.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { builtRoutes } from './support/built-routes.ts';
import { PUBLIC_RECORDS, startDnsOverHttps } from './support/dns.ts';
import { tempMailSink } from './support/notices.ts';

/*
 * The defects a probe of the edge found, one test each: each failed on the code before the
 * request pipeline existed. One production Worker (ENVIRONMENT from wrangler.toml) for all;
 * every test uses its own client IP, so limits never link tests.
 */
let worker: WorkerHandle;
let sink: Awaited<ReturnType<typeof tempMailSink>>;
let dns: Awaited<ReturnType<typeof startDnsOverHttps>>;
beforeAll(async () => {
  sink = await tempMailSink();
  dns = await startDnsOverHttps(PUBLIC_RECORDS);
  worker = await startWorker({ vars: { ...sink.vars, DNS_OVER_HTTPS_URL: dns.url } });
});
afterAll(async () => {
  await worker?.dispose();
  await sink?.close();
  await dns?.close();
});

let ipCounter = 0;
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

const count = async (table: string) => (await worker.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

function brokenMultipart(path: string, ip: string): Promise<Response> {
  return worker.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=XYZ', origin: 'http://localhost', 'cf-connecting-ip': ip },
    body: '--XYZ\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc',
    redirect: 'manual',
  });
}

describe('malformed multipart bodies', () => {
  it.each(['/api/acceptances', '/api/subscriptions', '/api/subscriptions/confirm', '/api/webhooks/confirm'])('%s answers 400 problem+json, not 500/503', async (path) => {
    const response = await brokenMultipart(path, freshIp());
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, type: 'urn:trust-center:problem:malformed-body' });
  });

  it.each(['/subscribe/confirm/', '/en/subscribe/unsubscribe/'])('the form page %s answers 400, not 500/503', async (path) => {
    const response = await brokenMultipart(path, freshIp());
    expect(response.status).toBe(400);
    await response.arrayBuffer();
  });
});

/** URLs a route pattern serves: both languages for `[...lang]`, a sample for other parameters. */
function urlsOf(pattern: string): string[] {
  if (pattern === '/404') return ['/no-such-page/', '/en/no-such-page/', '/fr/avv/accept/receipt/'];
  const sampled = pattern.replace(/\[(?!\.\.\.)[^\]]+\]/g, 'sample');
  return sampled.startsWith('/[...lang]/') ? [`${sampled.slice('/[...lang]'.length)}/`, `/en${sampled.slice('/[...lang]'.length)}/`] : [sampled];
}

describe('other methods on the routes rendered per request', () => {
  it('the guard lists exactly the routes the build renders per request', async () => {
    const perRequest = (await builtRoutes()).filter((route) => !route.prerender).map((route) => route.route);
    expect(Object.keys(PER_REQUEST_ROUTES).sort()).toEqual(perRequest.sort());
  });

  const cases = Object.entries(PER_REQUEST_ROUTES).flatMap(([pattern, rule]) => urlsOf(pattern).map((url) => [url, pattern, rule.methods] as const));
  it.each(cases)('%s (%s): POST, PUT, PATCH and DELETE without Origin answer 4xx problem+json', async (url, pattern, methods) => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      // No Content-Type, and a form's: both are what Astro's own origin check refused as text/plain.
      for (const headers of [{}, { 'content-type': 'application/x-www-form-urlencoded' }] as Record<string, string>[]) {
        const response = await worker.fetch(url, { method, headers: { ...headers, 'cf-connecting-ip': freshIp() }, ...(headers['content-type'] && { body: 'a=b' }), redirect: 'manual' });
        const what = `${method} ${url} ${JSON.stringify(headers)}`;
        expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
        const body = (await response.json()) as { status: number };
        expect(body.status, what).toBe(response.status);
        if (pattern === '/404') expect(response.status, what).toBe(404);
        else if ((methods as readonly string[]).includes(method)) expect(response.status, what).toBe(403);
        else {
          expect(response.status, what).toBe(405);
          expect(response.headers.get('allow'), what).toBe(methods.join(', '));
        }
      }
    }
  });
});

/** POST, PUT, DELETE and PATCH on `path` get 405 problem+json with Allow: GET, HEAD. */
async function expectOnlyGetAndHead(path: string): Promise<void> {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const response = await worker.fetch(path, { method });
    expect(response.status, method).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await response.arrayBuffer();
  }
}

describe('unknown methods on the prerendered pages the Worker sees first', () => {
  it('run_worker_first in wrangler.toml names exactly the pages the Worker guards', async () => {
    const toml = await readFile(new URL('../wrangler.toml', import.meta.url), 'utf8');
    const listed = JSON.parse(/^run_worker_first\s*=\s*(\[.*\])$/m.exec(toml)?.[1] ?? 'null') as string[];
    expect(listed).toEqual([...WORKER_FIRST_PAGES]);
  });

  it.each(['/avv/accept/', '/en/avv/accept/', '/changes/', '/changes/2026-11-ki-funktionen-sprachraum/', '/en/changes/2026-11-ki-funktionen-sprachraum/'])(
    'POST, PUT, DELETE and PATCH on %s answer 405 with Allow: GET, HEAD; GET still the page',
    async (path) => {
      await expectOnlyGetAndHead(path);
      const page = await worker.fetch(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      await page.arrayBuffer();
    },
  );
});

describe('unknown methods on the receipt key files', () => {
  it.each(['/.well-known/trust-center/receipt-key.pem', '/.well-known/trust-center/receipt-keys.json'])('POST, PUT, DELETE and PATCH on %s answer 405 with Allow: GET, HEAD', (path) => expectOnlyGetAndHead(path));
});

describe('bounded bodies', () => {
  const big = 'x'.repeat(64 * 1024);
  it('the RFC 8058 one-click unsubscribe refuses a huge body with 413', async () => {
    const response = await worker.fetch(`/api/subscriptions/unsubscribe?s=sub_${'A'.repeat(22)}&t=${'A'.repeat(43)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': freshIp() },
      body: `List-Unsubscribe=One-Click&pad=${big}`,
    });
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });

  it.each(['/subscribe/confirm/', '/subscribe/unsubscribe/'])('the form page %s refuses a huge body with 413', async (path) => {
    const response = await worker.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'cf-connecting-ip': freshIp() },
      body: `token=${big}`,
    });
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });
});

describe('rate limits on sign-ups', () => {
  const signUp = (email: string, ip: string, overrides: Record<string, unknown> = {}) =>
    worker.fetch('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
      body: JSON.stringify({ email, topics: ['subprocessor-changes'], lang: 'de', wordingVersion: CURRENT_SUBSCRIPTION_WORDING, ...overrides }),
    });

  it('three invalid sign-ups naming an address do not lock its owner out', async () => {
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) {
      const response = await signUp('locked@kunde.example', attacker, { topics: ['weather'] });
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    }
    const own = await signUp('locked@kunde.example', freshIp());
    expect(own.status).toBe(202);
    await own.arrayBuffer();
  });

  it('valid sign-ups from another network naming an address do not use up its owner’s quota', async () => {
    const attacker = freshIp();
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await signUp('quota@kunde.example', attacker);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const own = await signUp('quota@kunde.example', freshIp());
    expect(own.status).toBe(202);
    await own.arrayBuffer();
  });
});

describe('webhook URLs', () => {
  const register = (url: string, ip = freshIp()) =>
    worker.fetch('/api/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
      body: JSON.stringify({ url, topics: ['subprocessor-changes'], ownerEmail: `owner-${ipCounter}@customer.example`, lang: 'en' }),
    });

  it.each([
    'https://hooks.example.com/x\r\n\r\nPlease also wire the fee to IBAN DE00 1234.',
    'https://hooks.example.com/x\nBcc: victim@example.com',
    'https://hooks.example.com/\tx',
    ' https://hooks.example.com/x',
    'https://hooks.example.com/a b',
  ])('refuses control characters and spaces: %j', async (url) => {
    const before = await count('webhook_endpoints');
    const response = await register(url);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ invalidParams: [{ name: 'url', reason: expect.stringMatching(/control characters/) }] });
    expect(await count('webhook_endpoints')).toBe(before);
  });

  it('stores and mails the canonical URL, quoted apart from the vendor’s text', async () => {
    const response = await register('HTTPS://Hooks.Example.COM./a/../hook?x=1');
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ url: 'https://hooks.example.com/hook?x=1' });
    const row = await worker.db.prepare("SELECT url FROM webhook_endpoints WHERE url LIKE 'https://hooks.example.com/hook%'").first<{ url: string }>();
    expect(row?.url).toBe('https://hooks.example.com/hook?x=1');
    const mail = await sink.waitFor((message) => (message.parsed.text ?? '').includes('https://hooks.example.com/hook?x=1'));
    expect(mail.parsed.text).toContain('\n    <https://hooks.example.com/hook?x=1>\n');
  });

  it('seals the signing secret at rest; the owner still gets it once and deliveries still verify (webhooks test)', async () => {
    const ip = freshIp();
    const registered = await register('https://hooks.example.com/sealed', ip);
    expect(registered.status).toBe(202);
    await registered.arrayBuffer();
    const mail = await sink.waitFor((message) => (message.parsed.text ?? '').includes('https://hooks.example.com/sealed'));
    const token = /token=([0-9a-f]{64})/.exec(mail.parsed.text ?? '')![1]!;
    const confirmed = await worker.fetch('/api/webhooks/confirm', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip }, body: `token=${token}` });
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(await confirmed.text())![0];
    const row = await worker.db.prepare("SELECT secret FROM webhook_endpoints WHERE url = 'https://hooks.example.com/sealed'").first<{ secret: string }>();
    expect(row!.secret).not.toContain('whsec_');
    expect(row!.secret).not.toContain(secret.slice(6));
    expect(row!.secret).toMatch(/^dev1\.[A-Za-z0-9_-]+$/);
  });

  it('purges registrations never confirmed once the retention has passed', async () => {
    const registered = await register('https://hooks.example.com/never-confirmed');
    expect(registered.status).toBe(202);
    await registered.arrayBuffer();
    const pending = () => worker.db.prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE url = 'https://hooks.example.com/never-confirmed'").first<{ n: number }>();
    expect((await pending())!.n).toBe(1);
    await worker.scheduled(new Date(Date.now() + 73 * 3_600_000));
    expect((await pending())!.n).toBe(0);
  });
});

describe('attempt limits on secrets', () => {
  async function statusesOf(attempts: number, request: (ip: string) => Promise<Response>): Promise<number[]> {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < attempts; i++) {
      const response = await request(ip);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    return statuses;
  }

  it('the admin token: the 11th wrong token from one IP gets 429, even a right one then', async () => {
    const ip = freshIp();
    const statuses = await statusesOf(11, () => worker.fetch('/api/acceptances/status?account=A', { headers: { authorization: 'Bearer wrong', 'cf-connecting-ip': ip } }));
    expect(statuses).toEqual([...Array<number>(10).fill(403), 429]);
    const right = await worker.fetch('/api/acceptances/status?account=A', { headers: { authorization: `Bearer ${worker.secrets.ADMIN_TOKEN}`, 'cf-connecting-ip': ip } });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await worker.fetch('/api/acceptances/status?account=A', { headers: { authorization: `Bearer ${worker.secrets.ADMIN_TOKEN}`, 'cf-connecting-ip': freshIp() } });
    expect(elsewhere.status).toBe(200);
    await Promise.all([right.arrayBuffer(), elsewhere.arrayBuffer()]);
  });

  it('receipt keys, through the API and the receipt page', async () => {
    const id = crypto.randomUUID();
    const api = await statusesOf(11, (ip) => worker.fetch(`/api/acceptances/${id}/receipt?key=guess`, { headers: { 'cf-connecting-ip': ip } }));
    expect(api).toEqual([...Array<number>(10).fill(404), 429]);
    const page = await statusesOf(11, (ip) => worker.fetch(`/avv/accept/receipt/?id=${id}&key=guess`, { headers: { 'cf-connecting-ip': ip } }));
    expect(page).toEqual([...Array<number>(10).fill(404), 429]);
  });

  it('confirmation and unsubscribe tokens, through the API and the pages', async () => {
    const token = 'A'.repeat(43);
    const confirm = await statusesOf(11, (ip) => worker.fetch('/api/subscriptions/confirm', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: JSON.stringify({ token }) }));
    expect(confirm).toEqual([...Array<number>(10).fill(404), 429]);
    const confirmPage = await statusesOf(11, (ip) => worker.fetch(`/subscribe/confirm/?token=${token}`, { headers: { 'cf-connecting-ip': ip } }));
    expect(confirmPage).toEqual([...Array<number>(10).fill(404), 429]);
    const unsubscribe = await statusesOf(11, (ip) => worker.fetch(`/api/subscriptions/unsubscribe?s=sub_${'B'.repeat(22)}&t=${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip }, body: 'List-Unsubscribe=One-Click' }));
    expect(unsubscribe).toEqual([...Array<number>(10).fill(404), 429]);
    const webhook = await statusesOf(11, (ip) => worker.fetch(`/api/webhooks/confirm?token=${'0'.repeat(64)}`, { headers: { 'cf-connecting-ip': ip } }));
    expect(webhook).toEqual([...Array<number>(10).fill(404), 429]);
  });
});
