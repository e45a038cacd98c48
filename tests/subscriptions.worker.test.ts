import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeUnconfirmed, listConfirmedSubscribers } from '../functions/subscriptions/store.ts';
import { CURRENT_SUBSCRIPTION_WORDING } from '../src/domain/subscription-wording.ts';
import { mailSinkVars, startMailSink, type MailSink, type SinkMessage } from '../src/cli/mail-sink.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

/**
 * Sign-up, double opt-in and unsubscribe through the built Worker in workerd, which submits
 * every mail over SMTP (cloudflare:sockets) to a real sink on loopback: the assertions read the
 * delivered MIME, not a mock's call log.
 */
let worker: WorkerHandle;
let sink: MailSink;
let mailDir: string;

beforeAll(async () => {
  mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-mail-'));
  sink = await startMailSink({ dir: mailDir });
  worker = await startWorker({ vars: { ...mailSinkVars(sink.smtpPort), SUBSCRIPTION_RATE_LIMIT_PER_EMAIL: '3', SUBSCRIPTION_RATE_LIMIT_PER_IP: '1000' } });
});

afterAll(async () => {
  await worker?.dispose();
  await sink?.close();
  await rm(mailDir, { recursive: true, force: true });
});

let counter = 0;
/** A fresh address per test, so tests never see each other's mail or rate-limit counters. */
const freshEmail = (label: string) => `${label}-${++counter}-${crypto.randomUUID().slice(0, 8)}@kunde.example`;

function subscribe(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return worker.fetch('/api/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7', ...headers },
    body: JSON.stringify({ topics: ['subprocessor-changes'], lang: 'de', wordingVersion: CURRENT_SUBSCRIPTION_WORDING, ...body }),
  });
}

const mailTo = (email: string, subject?: RegExp) =>
  sink.waitFor((message) => message.envelope.to.includes(email) && (subject === undefined || subject.test(message.parsed.subject ?? '')));

function linkFrom(message: SinkMessage, pattern: RegExp): URL {
  const match = (message.parsed.text ?? '').match(pattern);
  if (!match) throw new Error(`no link ${pattern} in:\n${message.parsed.text}`);
  return new URL(match[0]);
}

/** The header lines as delivered, e.g. "List-Unsubscribe: <https://…>". */
const headerLines = (message: SinkMessage) => message.parsed.headerLines.map((header) => header.line);

async function confirmViaPage(link: URL, ip = '198.51.100.9'): Promise<Response> {
  const token = link.searchParams.get('token') ?? '';
  return worker.fetch(link.pathname + link.search, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'cf-connecting-ip': ip },
    body: new URLSearchParams({ token }).toString(),
  });
}

describe('POST /api/subscriptions', () => {
  it('sends a German confirmation mail over SMTP with a single-use link and stores only its hash', async () => {
    const email = freshEmail('de');
    const response = await subscribe({ email, topics: ['subprocessor-changes', 'toms-updates'] });
    expect(response.status).toBe(202);

    const message = await mailTo(email);
    expect(message.parsed.subject).toMatch(/^Bitte bestätigen Sie Ihr Abonnement/);
    expect(message.envelope.from).toBe('trust-center@localhost.localdomain');
    expect(headerLines(message)).toContain('Content-Language: de');
    expect(message.parsed.text).toContain('Änderungen bei Unterauftragsverarbeitern');
    expect(message.parsed.text).toContain('Aktualisierte TOMs');
    expect(message.parsed.text).not.toContain('Neue Fassungen des AVV');
    // The raw message on disk is the delivered one, 7-bit quoted-printable.
    expect(await readFile(path.join(mailDir, message.file), 'utf8')).toBe(message.raw);
    expect(message.raw).toContain('Content-Transfer-Encoding: quoted-printable');

    const link = linkFrom(message, /http:\/\/localhost\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/);
    expect(message.parsed.html).toContain(`href="${link.href}"`);
    const token = link.searchParams.get('token')!;
    const stored = await worker.db
      .prepare('SELECT r.token_sha256, r.requested_ip, r.wording_version, r.confirmation_message_id, s.status FROM subscription_requests r JOIN subscribers s ON s.id = r.subscriber_id WHERE s.email = ?')
      .bind(email)
      .first<{ token_sha256: string; requested_ip: string; wording_version: string; confirmation_message_id: string; status: string }>();
    expect(stored).toMatchObject({ requested_ip: '203.0.113.7', wording_version: CURRENT_SUBSCRIPTION_WORDING, status: 'pending' });
    expect(stored!.token_sha256).not.toContain(token);
    expect(stored!.token_sha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))).toString('hex'));
    expect(`<${stored!.confirmation_message_id}>`).toBe(message.parsed.messageId);
  });

  it('writes the English mail for lang=en, linking the English page', async () => {
    const email = freshEmail('en');
    expect((await subscribe({ email, lang: 'en', topics: ['avv-versions'] })).status).toBe(202);
    const message = await mailTo(email);
    expect(message.parsed.subject).toMatch(/^Please confirm your subscription/);
    expect(headerLines(message)).toContain('Content-Language: en');
    expect(message.parsed.text).toContain('New versions of the AVV');
    linkFrom(message, /http:\/\/localhost\/en\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/);
  });

  it('answers a known address exactly like a new one', async () => {
    const email = freshEmail('known');
    const first = await subscribe({ email });
    const second = await subscribe({ email });
    expect(second.status).toBe(first.status);
    expect(await second.text()).toBe(await first.text());
    const form = (address: string) =>
      worker.fetch('/api/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
        body: new URLSearchParams([['email', address], ['topics', 'subprocessor-changes'], ['topics', 'avv-versions'], ['lang', 'en'], ['wordingVersion', CURRENT_SUBSCRIPTION_WORDING]]).toString(),
        redirect: 'manual',
      });
    const known = await form(email);
    const unknown = await form(freshEmail('unknown'));
    expect(known.status).toBe(303);
    expect(unknown.status).toBe(303);
    expect(known.headers.get('location')).toBe('/en/subscribe/sent/');
    expect(unknown.headers.get('location')).toBe(known.headers.get('location'));
  });

  it.each([
    ['email', { email: 'not-an-address' }],
    ['topics', { topics: ['marketing'] }],
    ['topics', { topics: [] }],
    ['lang', { lang: 'fr' }],
    ['wordingVersion', { wordingVersion: '1999-01-01' }],
  ])('rejects a bad %s with 400 problem+json naming it', async (field, body) => {
    const response = await subscribe({ email: freshEmail('bad'), ...body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { invalidParams: Array<{ name: string }> };
    // Names are dotted paths: a bad list item is `topics.0`.
    expect(problem.invalidParams.map((param) => param.name.split('.')[0])).toContain(field);
  });

  it('answers a form with errors with the form, filled in as typed, errors at the fields', async () => {
    const response = await worker.fetch('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ email: 'nope', lang: 'en', wordingVersion: CURRENT_SUBSCRIPTION_WORDING }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<input id="field-email" name="email"[^>]* aria-invalid="true" value="nope"/);
    expect(html).toMatch(/<p class="field-error" id="error-email">/);
    expect(html).toMatch(/<p class="field-error" id="error-topics">/);
    // No topic was ticked: the boxes come back unticked, as sent.
    expect(html).not.toMatch(/name="topics"[^>]* checked/);
  });

  it('refuses an oversized body with 413 and a cross-site form with 403', async () => {
    const big = await subscribe({ email: freshEmail('big'), padding: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    const crossSite = await subscribe({ email: freshEmail('csrf') }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('limits sign-ups per address with 429 and Retry-After', async () => {
    const email = freshEmail('limit');
    for (let attempt = 0; attempt < 3; attempt++) expect((await subscribe({ email })).status).toBe(202);
    const limited = await subscribe({ email: email.toUpperCase() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { detail: string }).detail).toMatch(/address/);
  });

  it('stores nothing and says so when the mail server refuses the message', async () => {
    const email = freshEmail('refused');
    sink.failNext(1, 'temporary');
    const response = await subscribe({ email });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    const rows = await worker.db.prepare('SELECT COUNT(*) AS n FROM subscribers WHERE email = ?').bind(email).first<{ n: number }>();
    expect(rows?.n).toBe(0);
    // The next attempt goes through.
    expect((await subscribe({ email })).status).toBe(202);
    await mailTo(email);
  });
});

describe('confirmation', () => {
  it('asks on GET (scanners prefetch), confirms on POST once, keeps the consent proof, and welcomes with List-Unsubscribe', async () => {
    const email = freshEmail('confirm');
    await subscribe({ email, topics: ['subprocessor-changes', 'avv-versions'] });
    const link = linkFrom(await mailTo(email), /http:\/\/localhost\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/);

    const asked = await worker.fetch(link.pathname + link.search);
    expect(asked.status).toBe(200);
    expect(asked.headers.get('cache-control')).toBe('no-store');
    const askHtml = await asked.text();
    expect(askHtml).toContain('data-outcome="ask"');
    expect(askHtml).toContain(email);
    const pending = await worker.db.prepare('SELECT status FROM subscribers WHERE email = ?').bind(email).first<{ status: string }>();
    expect(pending?.status).toBe('pending');

    const confirmed = await confirmViaPage(link);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('data-outcome="confirmed"');

    const proof = await worker.db
      .prepare('SELECT s.id, s.status, s.topics, r.requested_at, r.requested_ip, r.confirmed_at, r.confirmed_ip, r.wording_version FROM subscribers s JOIN subscription_requests r ON r.subscriber_id = s.id WHERE s.email = ?')
      .bind(email)
      .first<{ id: string; status: string; topics: string; requested_at: string; requested_ip: string; confirmed_at: string; confirmed_ip: string; wording_version: string }>();
    expect(proof).toMatchObject({ status: 'confirmed', requested_ip: '203.0.113.7', confirmed_ip: '198.51.100.9', wording_version: CURRENT_SUBSCRIPTION_WORDING });
    expect(JSON.parse(proof!.topics)).toEqual(['subprocessor-changes', 'avv-versions']);
    expect(Date.parse(proof!.confirmed_at)).toBeGreaterThanOrEqual(Date.parse(proof!.requested_at));

    const welcome = await mailTo(email, /Abonnement bestätigt/);
    const lines = headerLines(welcome);
    const listUnsubscribe = lines.find((line) => line.startsWith('List-Unsubscribe: '));
    expect(listUnsubscribe).toMatch(/^List-Unsubscribe: <http:\/\/localhost\/api\/subscriptions\/unsubscribe\?s=sub_[A-Za-z0-9_-]+&t=[A-Za-z0-9_-]+>$/);
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(listUnsubscribe).toContain(`s=${proof!.id}&`);
    // The visible link in the body leads to the page that asks first.
    linkFrom(welcome, /http:\/\/localhost\/subscribe\/unsubscribe\/\?s=sub_[A-Za-z0-9_-]+&t=[A-Za-z0-9_-]+/);

    // Single use: the same link now says so, and changes nothing.
    const again = await confirmViaPage(link, '192.0.2.1');
    expect(await again.text()).toContain('data-outcome="used"');
    const still = await worker.db.prepare('SELECT confirmed_ip FROM subscription_requests r JOIN subscribers s ON s.id = r.subscriber_id WHERE s.email = ?').bind(email).first<{ confirmed_ip: string }>();
    expect(still?.confirmed_ip).toBe('198.51.100.9');

    const listed = await listConfirmedSubscribers(worker.db, 'avv-versions', '', 1000);
    expect(listed.map((subscriber) => subscriber.email)).toContain(email);
    const otherTopic = await listConfirmedSubscribers(worker.db, 'toms-updates', '', 1000);
    expect(otherTopic.map((subscriber) => subscriber.email)).not.toContain(email);
  });

  it('shows a clear page for an expired and for an unknown link', async () => {
    const email = freshEmail('expired');
    await subscribe({ email });
    const link = linkFrom(await mailTo(email), /http:\/\/localhost\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/);
    await worker.db
      .prepare("UPDATE subscription_requests SET expires_at = '2000-01-01T00:00:00.000Z' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = ?)")
      .bind(email)
      .run();
    const expired = await confirmViaPage(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('data-outcome="expired"');
    const unknown = await worker.fetch('/en/subscribe/confirm/?token=doesnotexist');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Link not valid');
  });
});

describe('unsubscribe', () => {
  async function confirmedSubscriber(): Promise<{ email: string; listUnsubscribe: URL }> {
    const email = freshEmail('unsub');
    await subscribe({ email });
    await confirmViaPage(linkFrom(await mailTo(email), /http:\/\/localhost\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/));
    const welcome = await mailTo(email, /Abonnement bestätigt/);
    const header = headerLines(welcome).find((line) => line.startsWith('List-Unsubscribe: '))!;
    return { email, listUnsubscribe: new URL(/<([^>]+)>/.exec(header)![1]!) };
  }

  it('unsubscribes on the RFC 8058 one-click POST with 200, no redirect and no cookie', async () => {
    const { email, listUnsubscribe } = await confirmedSubscriber();
    const response = await worker.fetch(listUnsubscribe.pathname + listUnsubscribe.search, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    const row = await worker.db.prepare('SELECT status, unsubscribed_via FROM subscribers WHERE email = ?').bind(email).first();
    expect(row).toEqual({ status: 'unsubscribed', unsubscribed_via: 'one-click' });
    expect((await listConfirmedSubscribers(worker.db, 'subprocessor-changes', '', 1000)).map((s) => s.email)).not.toContain(email);
  });

  it('only asks on GET, and the page button unsubscribes', async () => {
    const { email, listUnsubscribe } = await confirmedSubscriber();
    const get = await worker.fetch(listUnsubscribe.pathname + listUnsubscribe.search, { redirect: 'manual' });
    expect(get.status).toBe(303);
    const page = new URL(get.headers.get('location')!, 'http://localhost');
    expect(page.pathname).toBe('/subscribe/unsubscribe/');
    const asked = await worker.fetch(page.pathname + page.search);
    expect(await asked.text()).toContain('data-outcome="ask"');
    expect((await worker.db.prepare('SELECT status FROM subscribers WHERE email = ?').bind(email).first<{ status: string }>())?.status).toBe('confirmed');

    const done = await worker.fetch(page.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ s: page.searchParams.get('s')!, t: page.searchParams.get('t')! }).toString(),
    });
    expect(await done.text()).toContain('data-outcome="done"');
    expect(await worker.db.prepare('SELECT status, unsubscribed_via FROM subscribers WHERE email = ?').bind(email).first()).toEqual({ status: 'unsubscribed', unsubscribed_via: 'page' });
  });

  it('refuses a token that does not belong to the subscriber', async () => {
    const { email, listUnsubscribe } = await confirmedSubscriber();
    listUnsubscribe.searchParams.set('t', 'A'.repeat(43));
    const response = await worker.fetch(listUnsubscribe.pathname + listUnsubscribe.search, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(404);
    expect((await worker.db.prepare('SELECT status FROM subscribers WHERE email = ?').bind(email).first<{ status: string }>())?.status).toBe('confirmed');
  });
});

describe('purgeUnconfirmed', () => {
  it('deletes sign-ups older than the retention, keeps newer ones and every confirmed proof', async () => {
    const old = freshEmail('purge-old');
    const recent = freshEmail('purge-recent');
    const confirmed = freshEmail('purge-confirmed');
    for (const email of [old, recent, confirmed]) await subscribe({ email });
    await confirmViaPage(linkFrom(await mailTo(confirmed), /http:\/\/localhost\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]+/));
    const longAgo = new Date(Date.now() - 100 * 3_600_000).toISOString();
    for (const email of [old, confirmed]) {
      await worker.db.batch([
        worker.db.prepare('UPDATE subscribers SET created_at = ? WHERE email = ?').bind(longAgo, email),
        worker.db.prepare('UPDATE subscription_requests SET requested_at = ? WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = ?)').bind(longAgo, email),
      ]);
    }
    expect(await purgeUnconfirmed(worker.db, new Date(Date.now() - 72 * 3_600_000))).toBeGreaterThanOrEqual(1);
    const left = async (email: string) => (await worker.db.prepare('SELECT COUNT(*) AS n FROM subscription_requests r JOIN subscribers s ON s.id = r.subscriber_id WHERE s.email = ?').bind(email).first<{ n: number }>())?.n;
    expect(await worker.db.prepare('SELECT id FROM subscribers WHERE email = ?').bind(old).first()).toBeNull();
    expect(await left(recent)).toBe(1);
    expect(await left(confirmed)).toBe(1);
  });
});
