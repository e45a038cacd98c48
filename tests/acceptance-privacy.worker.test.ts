import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/domain/manifest.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { manifestOf, postForm, postJson, validSubmission } from './support/acceptance.ts';
import { tempMailSink } from './support/notices.ts';

/**
 * Receipts are private: a replayed no-JS form submission never discloses another request's
 * receipt or whether it exists, while the same browser's double-submit still stores one record.
 * And the signer gets the receipt by mail, read here from the MIME the sink received.
 */
let worker: WorkerHandle;
let manifest: Manifest;
let sink: Awaited<ReturnType<typeof tempMailSink>>;
beforeAll(async () => {
  sink = await tempMailSink();
  worker = await startWorker({ vars: { ...sink.vars, ACCEPTANCE_RATE_LIMIT_PER_IP: '100000' } });
  manifest = await manifestOf(worker);
});
afterAll(async () => {
  await worker?.dispose();
  await sink?.close();
});

let sequence = 0;
const unique = (overrides: Record<string, unknown> = {}) => validSubmission(manifest, { signerEmail: `privacy${++sequence}-${crypto.randomUUID().slice(0, 8)}@kunde.example`, ...overrides });

/** The accept page as a browser loads it: the cookie the Worker hands out. */
async function browserCookie(path = '/avv/accept/'): Promise<string> {
  const page = await worker.fetch(path);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form');
  const setCookie = page.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^tc_accept_browser=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Strict$/);
  expect(page.headers.get('cache-control')).toBe('private, no-cache');
  return setCookie.split(';')[0]!;
}

const receiptOf = (response: Response) => new URL(response.headers.get('location')!, 'http://localhost');

describe('replayed form submissions', () => {
  it('give a stranger a new acceptance of their own, never the first signer’s receipt', async () => {
    const victim = await browserCookie();
    const fields = unique({ idempotencyKey: '' });
    const first = await postForm(worker, fields, { cookie: victim, 'cf-connecting-ip': '198.51.100.1', 'user-agent': 'Victim Browser' });
    expect(first.status).toBe(303);

    // The attacker sends exactly the same fields, with no cookie or with their own.
    const attacker = await browserCookie('/en/avv/accept/');
    for (const headers of [{}, { cookie: attacker }] as Record<string, string>[]) {
      const replay = await postForm(worker, fields, { ...headers, 'cf-connecting-ip': '203.0.113.66', 'user-agent': 'Attacker' });
      expect(replay.status).toBe(303);
      const location = receiptOf(replay);
      expect(location.searchParams.get('id')).not.toBe(receiptOf(first).searchParams.get('id'));
      expect(location.searchParams.get('key')).not.toBe(receiptOf(first).searchParams.get('key'));
      const page = await (await worker.fetch(`${location.pathname}${location.search}`)).text();
      expect(page).not.toContain('198.51.100.1');
      expect(page).not.toContain('Victim Browser');
    }
    // As JSON: the same status as any first acceptance (201), so existence is not revealed.
    const json = await postJson(worker, fields, { 'cf-connecting-ip': '203.0.113.66' });
    expect(json.status).toBe(201);
    expect(((await json.json()) as Receipt).record.ipAddress).toBe('203.0.113.66');
  });

  it('keep the same browser’s double-submit to one record', async () => {
    const cookie = await browserCookie();
    // Reloading the page with the cookie keeps it: no new one is handed out.
    expect((await worker.fetch('/avv/accept/', { headers: { cookie } })).headers.get('set-cookie')).toBeNull();
    const fields = unique({ idempotencyKey: '' });
    const [first, second] = await Promise.all([postForm(worker, fields, { cookie }), postForm(worker, fields, { cookie })]);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const stored = await worker.db.prepare('SELECT COUNT(*) AS n FROM acceptances WHERE signer_email = ?').bind(fields.signerEmail).first<{ n: number }>();
    expect(stored!.n).toBe(1);
    // A later, deliberately different acceptance from that browser is a new one.
    const changed = await postForm(worker, { ...fields, signerRole: 'Prokuristin' }, { cookie });
    expect(receiptOf(changed).searchParams.get('id')).not.toBe(receiptOf(first).searchParams.get('id'));
  });

  it('hand a browser that came without the cookie one with its first submission', async () => {
    const fields = unique({ idempotencyKey: '' });
    const first = await postForm(worker, fields);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^tc_accept_browser=/);
    const again = await postForm(worker, fields, { cookie });
    // Keyed by the cookie from now on: its next repeat is caught.
    const third = await postForm(worker, fields, { cookie });
    expect(third.headers.get('location')).toBe(again.headers.get('location'));
  });
});

describe('receipt mail', () => {
  it('sends the signer the receipt, JSON attached and linked, and records the delivery', async () => {
    const fields = unique({ lang: 'en' });
    const response = await postJson(worker, fields);
    expect(response.status).toBe(201);
    const issued = await response.text();
    const receipt = JSON.parse(issued) as Receipt;
    const mail = await sink.waitFor((message) => message.envelope.to.includes(String(fields.signerEmail)), 15_000);
    expect(mail.parsed.subject).toBe(`Receipt: AVV ${receipt.record.avvVersion} accepted – ${manifest.vendor}`);
    const receiptPage = `http://localhost${response.headers.get('location')}`;
    expect(mail.parsed.text).toContain(receiptPage);
    expect(mail.parsed.text).toContain(receipt.documentUrl!);
    expect(mail.parsed.html).toContain(`href="${receiptPage.replace(/&/g, '&amp;')}"`);
    const [attachment] = mail.parsed.attachments;
    expect(attachment?.filename).toBe(`avv-receipt-${receipt.record.recordId}.json`);
    expect(attachment?.contentType).toBe('application/json');
    // Byte for byte what the API issued, so its signature verifies.
    expect(attachment?.content.toString('utf8')).toBe(issued);

    const row = await waitForRow(receipt.record.recordId, (state) => state === 'sent');
    expect(row).toMatchObject({ recipient: fields.signerEmail, state: 'sent', attempts: 1, message_id: mail.parsed.messageId?.replace(/^<|>$/g, '') });
  });

  it('retries a failed receipt mail from the Cron Trigger, and a replay sends nothing again', async () => {
    sink.failNext(1, 'temporary');
    const fields = unique();
    const cookie = await browserCookie();
    const first = await postForm(worker, fields, { cookie });
    const id = receiptOf(first).searchParams.get('id')!;
    expect((await waitForRow(id, (state) => state === 'retry')).last_error).toMatch(/451/);
    await postForm(worker, fields, { cookie });
    await worker.scheduled(new Date());
    const row = await waitForRow(id, (state) => state === 'sent');
    expect(row.attempts).toBe(2);
    const received = (await sink.messages()).filter((message) => message.envelope.to.includes(String(fields.signerEmail)));
    expect(received).toHaveLength(1);
    expect(received[0]!.parsed.subject).toMatch(/^Quittung: AVV /);
  });
});

async function waitForRow(recordId: string, done: (state: string) => boolean): Promise<Record<string, unknown>> {
  const end = Date.now() + 15_000;
  for (;;) {
    const row = await worker.db.prepare('SELECT * FROM receipt_mails WHERE record_id = ?').bind(recordId).first<Record<string, unknown>>();
    if (row && done(String(row.state))) return row;
    if (Date.now() > end) throw new Error(`receipt mail of ${recordId}: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
