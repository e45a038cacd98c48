import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/cli/ledger-verify.ts';
import { responseDeadlineFor } from '../src/domain/change-terms.ts';
import type { DeclarationRecord } from '../src/domain/declaration-record.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { noticeEventId } from '../src/domain/notice-events.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { acceptJson, d1Source, logKeyOf, manifestOf, validSubmission } from './support/acceptance.ts';
import { addDays, buildDeclarationSite, DECLARATION_CHANGES as C, type DeclarationSite } from './support/declaration-site.ts';
import { tempMailSink } from './support/notices.ts';

/**
 * POST /api/objections on a site whose changes sit around today (tests/support/declaration-
 * site.ts): every refusal, every kind that is recorded, the customer's own window from the
 * delivery evidence, both mails, and the one log with both record types intact.
 */
let site: DeclarationSite;
let worker: WorkerHandle;
let manifest: Manifest;
let sink: Awaited<ReturnType<typeof tempMailSink>>;
beforeAll(async () => {
  site = await buildDeclarationSite();
  sink = await tempMailSink();
  worker = await startWorker({ serverDir: site.serverDir, vars: { ...sink.vars, ACCEPTANCE_RATE_LIMIT_PER_IP: '100000' } });
  manifest = await manifestOf(worker);
}, 600_000);
afterAll(async () => {
  await worker?.dispose();
  await sink?.close();
  await site?.remove();
});

let sequence = 0;
/** A valid JSON declaration under its own account and address, so tests never share a window or a rate limit. */
function declaration(changeId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    kind: 'objection',
    changeId,
    companyName: 'Beispiel Handels GmbH',
    accountId: `ACC-${sequence}`,
    signerName: 'Erika Mustermann',
    signerRole: 'Datenschutzbeauftragte',
    signerEmail: `erika${sequence}@beispiel.example`,
    lang: 'de',
    ...overrides,
  };
}

function post(body: unknown): Promise<Response> {
  return worker.fetch('/api/objections', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

function postForm(fields: Record<string, unknown>): Promise<Response> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, String(value));
  return worker.fetch('/api/objections', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    body: form.toString(),
    redirect: 'manual',
  });
}

async function declared(body: Record<string, unknown>): Promise<{ receipt: Receipt<DeclarationRecord>; key: string }> {
  const response = await post(body);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  return { receipt: (await response.json()) as Receipt<DeclarationRecord>, key: response.headers.get('receipt-key')! };
}

const declarationRows = async () => (await worker.db.prepare('SELECT COUNT(*) AS n FROM declarations').first<{ n: number }>())!.n;

/** A sent email notice of the change to `email` that reached it on `receivedOn`. */
async function seedNotice(changeId: string, email: string, receivedOn: string): Promise<void> {
  const change = manifest.changes.find((candidate) => candidate.id === changeId)!;
  const eventId = noticeEventId(manifest.siteUrl, change.announcedDate, 'change', change.id);
  const at = `${receivedOn}T09:00:00.000Z`;
  await worker.db.batch([
    worker.db.prepare("INSERT OR IGNORE INTO notice_dispatches (event_id, topic, started_at, completed_at, outcome, recipients) VALUES (?, 'subprocessor-changes', ?, ?, 'sent', 1)").bind(eventId, at, at),
    worker.db
      .prepare("INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, attempts, queued_at, next_attempt_at, sent_at, received_on) VALUES (?, ?, 'email', ?, ?, 'de', 'sent', 1, ?, 0, ?, ?)")
      .bind(`nd_${email}`, eventId, `sub_${email}`, email, at, at, receivedOn),
  ]);
}

describe('refusals', () => {
  it('names an unknown change (404) and stores nothing', async () => {
    const before = await declarationRows();
    const response = await post(declaration('no-such-change'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ type: 'urn:trust-center:problem:unknown-change' });
    expect(await declarationRows()).toBe(before);
  });

  it('refuses a closed window with 409, the deadline that applied and what it was counted from', async () => {
    const response = await post(declaration(C.closed));
    expect(response.status).toBe(409);
    const body = (await response.json()) as Record<string, unknown>;
    const change = manifest.changes.find((candidate) => candidate.id === C.closed)!;
    expect(body).toMatchObject({
      type: 'urn:trust-center:problem:declaration-late',
      deadline: responseDeadlineFor(change.terms, '2025-03-03'),
      countedFrom: 'announcement-without-receipt-evidence',
      countedFromDay: '2025-03-03',
    });
  });

  it('counts from the announcement without receipt evidence: late for one customer, in time for one whose notice came later', async () => {
    const change = manifest.changes.find((candidate) => candidate.id === C.late)!;
    const announced = site.announced[C.late]!;
    const fromAnnouncement = responseDeadlineFor(change.terms, announced)!;
    expect(fromAnnouncement < site.today).toBe(true);

    const without = await post(declaration(C.late));
    expect(without.status).toBe(409);
    expect(await without.json()).toMatchObject({ deadline: fromAnnouncement, countedFrom: 'announcement-without-receipt-evidence', countedFromDay: announced });

    // Received on the announcement day: late too, now counted from that receipt.
    const early = declaration(C.late);
    await seedNotice(C.late, String(early.signerEmail), announced);
    const earlyAnswer = await post(early);
    expect(earlyAnswer.status).toBe(409);
    expect(await earlyAnswer.json()).toMatchObject({ deadline: fromAnnouncement, countedFrom: 'notice-receipt', countedFromDay: announced });

    // The notice reached this customer only yesterday: their own period is still running.
    const late = declaration(C.late);
    const yesterday = addDays(site.today, -1);
    await seedNotice(C.late, String(late.signerEmail), yesterday);
    const { receipt } = await declared(late);
    expect(receipt.record).toMatchObject({ kind: 'objection', changeId: C.late, deadline: responseDeadlineFor(change.terms, yesterday), countedFrom: 'notice-receipt', countedFromDay: yesterday, withinWindow: true });
  });

  it('takes the receipt of anyone who accepted the AVV for the same account as the account’s receipt', async () => {
    const colleague = `kollegin${++sequence}@beispiel.example`;
    const account = `ACC-SHARED-${sequence}`;
    await acceptJson(worker, validSubmission(manifest, { signerEmail: colleague, accountId: account }));
    const yesterday = addDays(site.today, -1);
    await seedNotice(C.late, colleague, yesterday);
    const { receipt } = await declared(declaration(C.late, { accountId: account }));
    expect(receipt.record).toMatchObject({ countedFrom: 'notice-receipt', countedFromDay: yesterday });
  });

  it('refuses a kind that does not fit the regime with 422 and the kinds that do', async () => {
    const consentOnObjection = await post(declaration(C.open, { kind: 'consent' }));
    expect(consentOnObjection.status).toBe(422);
    expect(await consentOnObjection.json()).toMatchObject({ type: 'urn:trust-center:problem:wrong-kind', allowedKinds: ['objection', 'withdrawal'] });
    const objectionOnConsent = await post(declaration(C.consent, { kind: 'objection' }));
    expect(objectionOnConsent.status).toBe(422);
    expect(await objectionOnConsent.json()).toMatchObject({ allowedKinds: ['consent', 'refusal', 'withdrawal'] });
    const onRemoval = await post(declaration(C.removal));
    expect(onRemoval.status).toBe(422);
    expect(await onRemoval.json()).toMatchObject({ type: 'urn:trust-center:problem:no-declaration', allowedKinds: [] });
  });

  it('refuses a withdrawal where the AVV rules it out (422), and one with nothing to withdraw', async () => {
    const notAllowed = await post(declaration(C.schriftform, { kind: 'withdrawal' }));
    expect(notAllowed.status).toBe(422);
    expect(await notAllowed.json()).toMatchObject({ type: 'urn:trust-center:problem:withdrawal-not-allowed', detail: 'The AVV rules out withdrawing the declaration.' });
    const nothing = await post(declaration(C.open, { kind: 'withdrawal' }));
    expect(nothing.status).toBe(422);
    expect(await nothing.json()).toMatchObject({ type: 'urn:trust-center:problem:nothing-to-withdraw' });
  });

  it('names every bad field at once (400), and the reasons the rule requires', async () => {
    const before = await declarationRows();
    const bad = await post({ kind: 'veto', changeId: C.open, companyName: 'X', signerEmail: 'not-an-email', lang: 'fr' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { invalidParams: Array<{ name: string }> };
    expect(body.invalidParams.map((param) => param.name).sort()).toEqual(['accountId', 'companyName', 'kind', 'lang', 'signerEmail', 'signerName', 'signerRole'].sort());

    const noReason = await post(declaration(C.schriftform));
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({ invalidParams: [{ name: 'reason', reason: 'required: the AVV asks for reasons („aus wichtigem datenschutzrechtlichem Grund“)' }] });
    expect(await declarationRows()).toBe(before);
  });

  it('answers a refused form post with the change page, filled in, the error at the field or the reason in the summary', async () => {
    const invalid = await postForm({ ...declaration(C.schriftform), signerEmail: 'kaputt' });
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toContain('value="kaputt"');
    expect(page).toMatch(/id="error-signerEmail"(?![^>]*hidden)/);
    expect(invalid.headers.get('cache-control')).toBe('no-store');

    const late = await postForm(declaration(C.late, { lang: 'en' }));
    expect(late.status).toBe(409);
    const latePage = await late.text();
    expect(latePage).toContain('<html lang="en"');
    expect(latePage).toMatch(/<p id="declare-refused-reason">The period for your declaration ended on [^<]+, counted from the announcement, as there is no delivery evidence for your account/);
  });
});

describe('recorded declarations', () => {
  it('records an objection in time: 201, signed receipt, receipt page, receipt mail with JSON, notice to the declaration contact', async () => {
    const body = declaration(C.open, { reason: 'Bitte keine neuen Empfänger ohne Rücksprache.' });
    const { receipt, key } = await declared(body);
    const change = manifest.changes.find((candidate) => candidate.id === C.open)!;
    expect(receipt).toMatchObject({
      format: 'trust-center/acceptance-receipt@1',
      record: {
        format: 'trust-center/declaration-record@1',
        kind: 'objection',
        changeId: C.open,
        governingAvvVersion: '2.0',
        ruleId: 'widerspruch',
        clause: '§ 2 Abs. 4',
        requiredForm: 'textform',
        deadline: responseDeadlineFor(change.terms, site.announced[C.open]!),
        countedFrom: 'announcement-without-receipt-evidence',
        withinWindow: true,
        withdraws: null,
        reason: 'Bitte keine neuen Empfänger ohne Rücksprache.',
        accountId: body.accountId,
      },
    });

    const page = await worker.fetch(`/declarations/receipt/?id=${receipt.record.recordId}&key=${encodeURIComponent(key)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Widerspruch');
    expect(html).toContain('Textform (§ 126b BGB). Die Online-Erklärung erfüllt sie');
    // The rule under its one reference, as the change page, feeds, calendar and mails name it.
    expect(html).toContain('<dt>Maßgebliche Regelung</dt><dd data-testid="receipt-rule">§ 2 Abs. 4 der AVV 2.0</dd>');
    expect(html).not.toContain('Version 2.0, § 2 Abs. 4');
    expect((await worker.fetch(`/declarations/receipt/?id=${receipt.record.recordId}&key=wrong-key`)).status).toBe(404);
    // A declaration's receipt is no acceptance receipt.
    expect((await worker.fetch(`/avv/accept/receipt/?id=${receipt.record.recordId}&key=${encodeURIComponent(key)}`)).status).toBe(404);
    const download = await worker.fetch(`/api/objections/${receipt.record.recordId}/receipt?key=${encodeURIComponent(key)}`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="declaration-receipt-${receipt.record.recordId}.json"`);
    expect(await download.json()).toEqual(receipt);

    const mail = await sink.waitFor((message) => message.envelope.to.includes(String(body.signerEmail)));
    expect(mail.parsed.subject).toBe(`Empfangsbestätigung: Widerspruch zu „${change.title}“ – ${manifest.vendor}`);
    // The objection can be withdrawn too (§ 2 Abs. 4), but the mail speaks of withdrawal only to whoever consented.
    expect(mail.parsed.text).not.toContain('Erklärung widerruflich');
    const [attachment] = mail.parsed.attachments;
    expect(JSON.parse(attachment!.content.toString('utf8'))).toEqual(receipt);
    const notice = await sink.waitFor((message) => message.envelope.to.includes(manifest.declarationContact.email) && message.parsed.subject?.includes(String(body.accountId)) === true);
    expect(notice.parsed.subject).toBe(`Widerspruch eingegangen: ${C.open} – Beispiel Handels GmbH (${body.accountId})`);
    expect(notice.parsed.text).toContain(`Begründung: Bitte keine neuen Empfänger ohne Rücksprache.`);
    // Written to the privacy team about the customer, not to the customer.
    expect(notice.parsed.text).toMatch(/^Frist des Kunden: \d\d\.\d\d\.\d{4}, gerechnet ab /m);
    expect(notice.parsed.text).not.toMatch(/Ihre Frist|bei Ihnen|Ihr Konto/);
    expect(notice.parsed.replyTo?.text).toBe(String(body.signerEmail));
    const mails = await worker.db.prepare("SELECT purpose, state FROM declaration_mails WHERE record_id = ? ORDER BY purpose").bind(receipt.record.recordId).all();
    expect(mails.results).toEqual([{ purpose: 'receipt', state: 'sent' }, { purpose: 'vendor-notice', state: 'sent' }]);
  });

  it('records a Schriftform objection with its reasons, and says the online one does not replace the letter', async () => {
    const { receipt } = await declared(declaration(C.schriftform, { reason: 'Der neue Standort ist nicht geprüft.' }));
    expect(receipt.record).toMatchObject({ requiredForm: 'schriftform', ruleId: 'widerspruch-schriftlich', reason: 'Der neue Standort ist nicht geprüft.' });
    const mail = await sink.waitFor((message) => message.envelope.to.includes(receipt.record.signerEmail));
    expect(mail.parsed.text).toContain('Die Online-Erklärung ersetzt sie nicht');
  });

  it('collects consent and refusal on a consent-regime change without a period, and a withdrawal of the consent', async () => {
    const consent = declaration(C.consent, { kind: 'consent' });
    const { receipt: given, key } = await declared(consent);
    expect(given.record).toMatchObject({ kind: 'consent', ruleId: 'zustimmung-drittland', deadline: null, countedFrom: null, withinWindow: null });
    // The receipt of a consent says how it is withdrawn, in the words of the change page's form.
    const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    const receiptPage = text(await (await worker.fetch(`/declarations/receipt/?id=${given.record.recordId}&key=${encodeURIComponent(key)}`)).text());
    const withdrawal = 'Erklärung widerruflichja, jederzeit, mit Wirkung für die Zukunft. Form des Widerrufs: in der AVV nicht angegeben. Gegenüber wem: in der AVV nicht angegeben. § 2 Abs. 2: „Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.“';
    expect(receiptPage).toContain(withdrawal);
    const changePage = text(await (await worker.fetch(`/changes/${C.consent}/`)).text());
    expect(changePage).toContain(withdrawal);
    // … and so does the receipt mail, in the signer's language.
    const mail = await sink.waitFor((message) => message.envelope.to.includes(given.record.signerEmail));
    expect(mail.parsed.text).toContain(withdrawal.replace('widerruflichja', 'widerruflich: ja'));
    const { receipt: givenEn } = await declared(declaration(C.consent, { kind: 'consent', lang: 'en' }));
    const mailEn = await sink.waitFor((message) => message.envelope.to.includes(givenEn.record.signerEmail));
    expect(mailEn.parsed.text).toContain('Declaration can be withdrawn: yes, at any time, with effect for the future. Form of the withdrawal: not stated in the AVV. To whom: not stated in the AVV. § 2 Abs. 2: „Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.“');
    const { receipt: refused } = await declared(declaration(C.consent, { kind: 'refusal' }));
    expect(refused.record.kind).toBe('refusal');
    // A refusal is not a consent: its receipt mail has nothing to withdraw.
    const refusalMail = await sink.waitFor((message) => message.envelope.to.includes(refused.record.signerEmail));
    expect(refusalMail.parsed.text).not.toContain('Erklärung widerruflich');

    const { receipt: withdrawn } = await declared({ ...consent, kind: 'withdrawal' });
    expect(withdrawn.record).toMatchObject({ kind: 'withdrawal', withdraws: given.record.recordId, accountId: consent.accountId });
    // Nothing left to take back for that account.
    const again = await post({ ...consent, kind: 'withdrawal', signerName: 'Max Mustermann' });
    expect(again.status).toBe(422);
  });

  it('answers a repeat under the same Idempotency-Key with the first receipt, and refuses the key for another body', async () => {
    const body = declaration(C.open, { idempotencyKey: `repeat-${sequence}-key` });
    const first = await post(body);
    expect(first.status).toBe(201);
    const repeat = await post(body);
    expect(repeat.status).toBe(200);
    expect(await repeat.text()).toBe(await first.text());
    const other = await post({ ...body, signerName: 'Jemand Anders' });
    expect(other.status).toBe(422);
  });

  it('redirects a form post (303) to the receipt page in the form’s language', async () => {
    const response = await postForm(declaration(C.open, { lang: 'en' }));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!, 'http://localhost');
    expect(location.pathname).toBe('/en/declarations/receipt/');
    const page = await worker.fetch(`${location.pathname}${location.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Receipt for your declaration');
  });
});

describe('withdrawal', () => {
  it('takes a withdrawal after the customer’s own window closed: the AVV binds it to no period, and the page says so', async () => {
    const objection = declaration(C.late);
    await seedNotice(C.late, String(objection.signerEmail), addDays(site.today, -1));
    const { receipt: objected } = await declared(objection);
    expect(objected.record.withinWindow).toBe(true);
    // A colleague of the same account without receipt evidence: late for an objection of their own …
    const colleague = { ...objection, signerName: 'Max Mustermann', signerEmail: `max${++sequence}@beispiel.example` };
    const late = await post(colleague);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { deadline: string }).deadline < site.today).toBe(true);
    // … yet the account's objection can be withdrawn.
    const { receipt: withdrawn } = await declared({ ...colleague, kind: 'withdrawal' });
    expect(withdrawn.record).toMatchObject({ kind: 'withdrawal', withdraws: objected.record.recordId, deadline: null, withinWindow: null });

    const page = await (await worker.fetch(`/changes/${C.late}/`)).text();
    const hint = /<p class="hint" id="hint-withdrawal"[^>]*>([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
    // The AVV of this site allows withdrawing the objection but does not say until when (§ 2 Abs. 4).
    expect(hint.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')).toContain('Erklärung widerruflich: ja; bis wann: in der AVV nicht angegeben; ab wann wirksam: in der AVV nicht angegeben. Form des Widerrufs: in der AVV nicht angegeben. Gegenüber wem: in der AVV nicht angegeben. § 2 Abs. 4: „Der Kunde kann seinen Widerspruch zurücknehmen.“ Eine Rücknahme ist an keine Frist gebunden: Sie wird auch nach Ablauf der Frist');
  });
});

describe('declaration mails are retried', () => {
  const mailRow = (recordId: string, purpose: string) =>
    worker.db.prepare('SELECT state, attempts, last_error FROM declaration_mails WHERE record_id = ? AND purpose = ?').bind(recordId, purpose).first<{ state: string; attempts: number; last_error: string | null }>();
  async function waitForMail(recordId: string, purpose: string, state: string): Promise<{ state: string; attempts: number; last_error: string | null }> {
    const end = Date.now() + 15_000;
    for (;;) {
      const row = await mailRow(recordId, purpose);
      if (row?.state === state) return row;
      if (Date.now() > end) throw new Error(`${purpose} mail of ${recordId}: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const toSigner = async (email: string) => (await sink.messages()).filter((message) => message.envelope.to.includes(email));

  it('a receipt mail whose first attempt failed is delivered by the Cron Trigger, exactly once', async () => {
    const body = declaration(C.open);
    const email = String(body.signerEmail);
    sink.refuseRecipients([email]);
    const { receipt } = await declared(body);
    const failed = await waitForMail(receipt.record.recordId, 'receipt', 'retry');
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toMatch(/550/);
    // The vendor's notice went out on its own attempt.
    expect((await waitForMail(receipt.record.recordId, 'vendor-notice', 'sent')).attempts).toBe(1);
    expect(await toSigner(email)).toHaveLength(0);

    sink.acceptRecipients([email]);
    await worker.scheduled(new Date());
    expect(await waitForMail(receipt.record.recordId, 'receipt', 'sent')).toMatchObject({ attempts: 2, last_error: null });
    await worker.scheduled(new Date());
    const received = await toSigner(email);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.parsed.attachments[0]!.content.toString('utf8'))).toEqual(receipt);
    expect((await mailRow(receipt.record.recordId, 'vendor-notice'))!.attempts).toBe(1);
  });

  it('gives up after the attempts receipt mails get too (5): failed, and the cron tries no more', async () => {
    const body = declaration(C.open);
    const email = String(body.signerEmail);
    sink.refuseRecipients([email]);
    const { receipt } = await declared(body);
    await waitForMail(receipt.record.recordId, 'receipt', 'retry');
    for (let run = 2; run <= 4; run++) {
      await worker.scheduled(new Date());
      expect(await mailRow(receipt.record.recordId, 'receipt')).toMatchObject({ state: 'retry', attempts: run });
    }
    await worker.scheduled(new Date());
    expect(await mailRow(receipt.record.recordId, 'receipt')).toMatchObject({ state: 'failed', attempts: 5 });
    sink.acceptRecipients([email]);
    await worker.scheduled(new Date());
    expect(await mailRow(receipt.record.recordId, 'receipt')).toMatchObject({ state: 'failed', attempts: 5 });
    expect(await toSigner(email)).toHaveLength(0);
  });
});

describe('the one log with both record types', () => {
  it('audits intact with acceptances and declarations interleaved, and each declaration receipt verifies offline', async () => {
    await acceptJson(worker, validSubmission(manifest, { signerEmail: `mixed${++sequence}@beispiel.example` }));
    const { receipt } = await declared(declaration(C.open));
    await acceptJson(worker, validSubmission(manifest, { signerEmail: `mixed${++sequence}@beispiel.example` }));

    const positions = await worker.db.prepare('SELECT leaf_index FROM acceptances UNION ALL SELECT leaf_index FROM declarations ORDER BY leaf_index').all<{ leaf_index: number }>();
    expect(positions.results.map((row) => row.leaf_index)).toEqual(positions.results.map((_, i) => i));
    const report = await verifyLedger(d1Source(worker), await logKeyOf(worker, manifest));
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);

    // The database keeps the shape for both types: a declaration at a taken position is refused.
    await expect(worker.db.prepare("INSERT INTO declarations SELECT * FROM declarations WHERE record_id = ?").bind(receipt.record.recordId).run()).rejects.toThrow();

    const dir = await mkdtemp(path.join(tmpdir(), 'declaration-receipt-'));
    try {
      await writeFile(path.join(dir, 'receipt.json'), JSON.stringify(receipt));
      await writeFile(path.join(dir, 'key.pem'), await (await worker.fetch('/.well-known/trust-center/receipt-key.pem')).text());
      const root = path.resolve(import.meta.dirname, '..');
      const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, [path.join(root, 'src/cli/receipt-verify.ts'), path.join(dir, 'receipt.json'), '--key', path.join(dir, 'key.pem')], { cwd: dir }, (error, stdout) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
        ),
      );
      expect(result.stdout).toContain(`record: objection on change ${C.open}`);
      expect(result.stdout).toContain(`Receipt valid: record ${receipt.record.recordId}.`);
      expect(result.code).toBe(0);

      const tampered = { ...receipt, record: { ...receipt.record, deadline: '2099-12-31' } };
      await writeFile(path.join(dir, 'receipt.json'), JSON.stringify(tampered));
      const refused = await new Promise<number>((resolve) => execFile(process.execPath, [path.join(root, 'src/cli/receipt-verify.ts'), path.join(dir, 'receipt.json'), '--key', path.join(dir, 'key.pem')], { cwd: dir }, (error) => resolve(error ? Number(error.code ?? 1) : 0)));
      expect(refused).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a changed declaration row in the audit', async () => {
    const { receipt } = await declared(declaration(C.open));
    // The trigger that allows only a logged redaction (migration 0015), restored as it was.
    const trigger = (await worker.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'declarations_update_only_redaction'").first<{ sql: string }>())!.sql;
    await worker.db.exec('DROP TRIGGER declarations_update_only_redaction');
    try {
      await worker.db.prepare("UPDATE declarations SET kind = 'consent' WHERE record_id = ?").bind(receipt.record.recordId).run();
      const report = await verifyLedger(d1Source(worker), await logKeyOf(worker, manifest));
      expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'changed', leafIndex: receipt.leafIndex, recordId: receipt.record.recordId }));
    } finally {
      await worker.db.prepare("UPDATE declarations SET kind = 'objection' WHERE record_id = ?").bind(receipt.record.recordId).run();
      await worker.db.prepare(trigger).run();
    }
  });
});
