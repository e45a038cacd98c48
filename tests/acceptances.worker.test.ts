import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/domain/manifest.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { acceptJson, count, manifestOf, postForm, postJson, validSubmission } from './support/acceptance.ts';

let worker: WorkerHandle;
let manifest: Manifest;
beforeAll(async () => {
  // Every request here comes from the same (unknown) IP; rate limits have their own test file.
  worker = await startWorker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '100000' } });
  manifest = await manifestOf(worker);
});
afterAll(async () => {
  await worker?.dispose();
});

/** Each test accepts under its own email, so rate limits and idempotency never link tests. */
let sequence = 0;
const unique = (overrides: Record<string, unknown> = {}) => validSubmission(manifest, { signerEmail: `signer${++sequence}@beispiel.example`, ...overrides });

describe('POST /api/acceptances (happy path)', () => {
  it('stores a JSON acceptance and answers 201 with the signed receipt', async () => {
    const before = await count(worker, 'acceptances');
    const body = unique();
    const response = await postJson(worker, body);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const receipt = (await response.json()) as Receipt;
    expect(receipt).toMatchObject({
      format: 'trust-center/acceptance-receipt@1',
      record: {
        format: 'trust-center/acceptance-record@1',
        avvVersion: body.avvVersion,
        documentSha256: body.documentSha256,
        wordingVersion: manifest.acceptanceWording.version,
        wordingSha256: manifest.acceptanceWording.sha256,
        companyName: 'Beispiel Handels GmbH',
        companyAddress: 'Musterstraße 1\n20095 Hamburg',
        signerEmail: body.signerEmail,
        accountId: 'ACC-1001',
        lang: 'de',
      },
      treeSize: receipt.leafIndex + 1,
    });
    expect(receipt.record.acceptedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await count(worker, 'acceptances')).toBe(before + 1);
    expect(await count(worker, 'acceptance_log_heads')).toBe(before + 1);

    const key = response.headers.get('receipt-key')!;
    expect(response.headers.get('location')).toBe(`/avv/accept/receipt/?id=${receipt.record.recordId}&key=${encodeURIComponent(key)}`);
    const download = await worker.fetch(`/api/acceptances/${receipt.record.recordId}/receipt?key=${encodeURIComponent(key)}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="avv-receipt-${receipt.record.recordId}.json"`);
    expect(await download.json()).toEqual(receipt);
  });

  it('stores a form acceptance and redirects (303) to the receipt page in the form’s language', async () => {
    const body = unique({ lang: 'en', accountId: '', idempotencyKey: '' });
    const response = await postForm(worker, body);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!, 'http://localhost');
    expect(location.pathname).toBe('/en/avv/accept/receipt/');
    const id = location.searchParams.get('id')!;
    const row = await worker.db.prepare('SELECT lang, account_id, idempotency_key, receipt_key_sha256 FROM acceptances WHERE record_id = ?').bind(id).first<Record<string, string | null>>();
    expect(row).toMatchObject({ lang: 'en', account_id: null, receipt_key_sha256: createHash('sha256').update(location.searchParams.get('key')!).digest('hex') });
    // No browser cookie (never saw the accept page): a key of its own, never another's receipt.
    expect(row!.idempotency_key).toMatch(/^single:[0-9a-f-]{36}$/);
  });

  it('normalises what people type: trims, NFC, CRLF, case of the checksum', async () => {
    const decomposed = 'Mu\u0308ller GmbH';
    const receipt = await acceptJson(worker, unique({ companyName: `  ${decomposed}  `, companyAddress: 'Weg 2\r\n10115 Berlin', documentSha256: String(validSubmission(manifest).documentSha256).toUpperCase() }));
    expect(receipt.record.companyName).toBe('Müller GmbH'.normalize('NFC'));
    expect(receipt.record.companyName).toBe('M\u00fcller GmbH');
    expect(receipt.record.companyAddress).toBe('Weg 2\n10115 Berlin');
  });

  it('keeps the client IP and user agent as evidence', async () => {
    const receipt = await acceptJson(worker, unique(), { 'cf-connecting-ip': '203.0.113.7', 'user-agent': 'Evidence/1.0' });
    expect(receipt.record).toMatchObject({ ipAddress: '203.0.113.7', userAgent: 'Evidence/1.0' });
  });

  it('refuses to read a receipt without its key', async () => {
    const response = await postJson(worker, unique());
    const receipt = (await response.json()) as Receipt;
    for (const [key, status] of [['', 400], ['wrong-key', 404], [`${response.headers.get('receipt-key')}x`, 404]] as const) {
      const download = await worker.fetch(`/api/acceptances/${receipt.record.recordId}/receipt?key=${encodeURIComponent(key)}`);
      expect(download.status, key).toBe(status);
      expect(download.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('validation names every field', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing company name', { companyName: undefined }, 'companyName', /required/],
    ['blank company name', { companyName: '   ' }, 'companyName', /required|at least/],
    ['company name too long', { companyName: 'x'.repeat(201) }, 'companyName', /at most 200/],
    ['control character in name', { signerName: 'Erika\u0007' }, 'signerName', /control/],
    ['address too short', { companyAddress: 'abc' }, 'companyAddress', /at least 5/],
    ['address too long', { companyAddress: 'x'.repeat(501) }, 'companyAddress', /at most 500/],
    ['missing signer name', { signerName: undefined }, 'signerName', /required/],
    ['missing role', { signerRole: '' }, 'signerRole', /required|at least/],
    ['role too long', { signerRole: 'x'.repeat(121) }, 'signerRole', /at most 120/],
    ['bad email', { signerEmail: 'erika-at-example' }, 'signerEmail', /email/],
    ['missing email', { signerEmail: undefined }, 'signerEmail', /required/],
    ['email too long', { signerEmail: `${'a'.repeat(250)}@x.de` }, 'signerEmail', /at most 254/],
    ['account id with spaces', { accountId: 'ACC 1' }, 'accountId', /no spaces/],
    ['account id too long', { accountId: 'A'.repeat(101) }, 'accountId', /at most 100/],
    ['checkbox not ticked', { authorised: false }, 'authorised', /authorised/],
    ['checkbox missing', { authorised: undefined }, 'authorised', /authorised/],
    ['unknown language', { lang: 'fr' }, 'lang', /"de" or "en"/],
    ['missing version', { avvVersion: undefined }, 'avvVersion', /required/],
    ['malformed document hash', { documentSha256: 'abc' }, 'documentSha256', /64 hex/],
    ['missing wording version', { wordingVersion: undefined }, 'wordingVersion', /required/],
    ['idempotency key too short', { idempotencyKey: 'short' }, 'idempotencyKey', /at least 8/],
    ['name given as a number', { signerName: 42 }, 'signerName', /expected text/],
  ];

  it.each(cases)('%s → 400 naming %s', async (_name, overrides, field, message) => {
    const before = await count(worker, 'acceptances');
    const response = await postJson(worker, unique(overrides));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; errors: Array<{ field: string; message: string }>; invalidParams: Array<{ name: string; reason: string }> };
    expect(problem.type).toBe('urn:trust-center:problem:invalid-submission');
    expect(problem.errors.map((error) => error.field)).toEqual([field]);
    expect(problem.errors[0]!.message).toMatch(message);
    expect(problem.invalidParams).toEqual([{ name: field, reason: problem.errors[0]!.message }]);
    expect(await count(worker, 'acceptances')).toBe(before);
  });

  it('names all missing fields at once', async () => {
    const response = await postJson(worker, {});
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: Array<{ field: string }> };
    expect(errors.map((error) => error.field).sort()).toEqual(
      ['authorised', 'avvVersion', 'companyAddress', 'companyName', 'documentSha256', 'signerEmail', 'signerName', 'signerRole', 'wordingVersion'].sort(),
    );
  });

  it('rejects malformed JSON and non-object JSON', async () => {
    for (const body of ['{"companyName":', '[1,2]', '"text"']) {
      const response = await worker.fetch('/api/acceptances', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { type: string }).type).toBe('urn:trust-center:problem:malformed-body');
    }
  });

  it('answers a form post with errors with the accept page, filled in as typed, errors at the fields', async () => {
    const response = await postForm(worker, unique({ signerEmail: 'nope', companyName: '', signerName: 'Erika "<b>" Muster', lang: 'en' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<input id="field-signerEmail" name="signerEmail"[^>]* value="nope"/);
    expect(html).toMatch(/<input id="field-signerEmail"[^>]* aria-invalid="true"/);
    // Typed text is escaped, never markup.
    expect(html).toMatch(/value="Erika &quot;(&lt;|<)b(&gt;|>)&quot; Muster"/);
    expect(html).toMatch(/<div class="field invalid" data-field="companyName">/);
    expect(html).toMatch(/<p class="field-error" id="error-signerEmail">/);
    expect(html).toMatch(/<p class="field-error" id="error-signerName" hidden>/);
    expect(html).toMatch(/<div id="accept-error-invalid" class="error-summary" tabindex="-1" role="alert">/);
  });
});

describe('protocol errors', () => {
  it('413 for a body over 16 KiB, by Content-Length', async () => {
    const response = await postJson(worker, unique({ companyAddress: 'x'.repeat(20_000) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { type: string }).type).toBe('urn:trust-center:problem:payload-too-large');
  });

  it('413 for a streamed body over 16 KiB without Content-Length', async () => {
    // A raw chunked upload: the Worker may answer (and close) before all of it is written, so a
    // reset after the answer is expected; what counts is the status it answered with.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(new URL('/api/acceptances', worker.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } });
      let answered = false;
      request.on('response', (response) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = 'x'.repeat(4096);
      let sent = 0;
      const writeNext = () => {
        if (answered || request.destroyed) return;
        if (sent++ < 8) request.write(chunk, writeNext);
        else request.end();
      };
      writeNext();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413 });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('405 with Allow: POST for %s', async (method) => {
    const response = await worker.fetch('/api/acceptances', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('405 for POST on the receipt download', async () => {
    const response = await worker.fetch('/api/acceptances/00000000-0000-4000-8000-000000000000/receipt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it.each([['text/plain', 'hello'], ['application/xml', '<a/>'], [undefined, 'x']])('415 for Content-Type %s', async (type, body) => {
    const response = await worker.fetch('/api/acceptances', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-post')).toContain('application/json');
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', origin: 'https://sub.localhost' }],
  ])('403 for a form post with %s (CSRF)', async (_name, headers) => {
    const before = await count(worker, 'acceptances');
    const response = await postForm(worker, unique(), headers);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { type: string }).type).toBe('urn:trust-center:problem:csrf');
    expect(await count(worker, 'acceptances')).toBe(before);
  });
});

describe('stale version (409)', () => {
  it.each([
    ['an older AVV version', { avvVersion: '1.0' }, 'avvVersion'],
    ['another document hash', { documentSha256: '0'.repeat(64) }, 'documentSha256'],
    ['another wording version', { wordingVersion: '0' }, 'wordingVersion'],
  ])('refuses %s and names the current version', async (_name, overrides, field) => {
    const before = await count(worker, 'acceptances');
    const response = await postJson(worker, unique(overrides));
    expect(response.status).toBe(409);
    const current = manifest.avvVersions.find((version) => version.status === 'current')!;
    expect(await response.json()).toMatchObject({
      type: 'urn:trust-center:problem:stale-version',
      currentVersion: current.version,
      currentDocumentSha256: current.documentSha256,
      currentWordingVersion: manifest.acceptanceWording.version,
      staleFields: [field],
    });
    expect(await count(worker, 'acceptances')).toBe(before);
  });

  it('sends a stale form post back to the accept page', async () => {
    const response = await postForm(worker, unique({ avvVersion: '1.0' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/avv/accept/?error=stale-version#accept-error-stale-version');
  });
});

describe('idempotency', () => {
  it('returns the same receipt for the same Idempotency-Key and stores one record', async () => {
    const body = unique();
    const key = crypto.randomUUID();
    const first = await postJson(worker, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const firstText = await first.text();
    const second = await postJson(worker, body, { 'idempotency-key': key });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(firstText);
    expect(second.headers.get('receipt-key')).toBe(first.headers.get('receipt-key'));
    const rows = await worker.db.prepare('SELECT COUNT(*) AS n FROM acceptances WHERE idempotency_key = ?').bind(key).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it('treats a form field idempotencyKey like the header', async () => {
    const body = unique({ idempotencyKey: crypto.randomUUID() });
    const first = await postForm(worker, body);
    const second = await postForm(worker, body);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
  });

  it('without a key or browser cookie, the same submission is a new acceptance, never the first one’s receipt', async () => {
    const body = unique();
    const first = await postJson(worker, body);
    const second = await postJson(worker, body);
    expect([first.status, second.status]).toEqual([201, 201]);
    const [a, b] = [(await first.json()) as Receipt, (await second.json()) as Receipt];
    expect(b.record.recordId).not.toBe(a.record.recordId);
  });

  it('422 when a key is reused for a different submission, and nothing is stored', async () => {
    const key = crypto.randomUUID();
    const body = unique();
    expect((await postJson(worker, body, { 'idempotency-key': key })).status).toBe(201);
    const before = await count(worker, 'acceptances');
    const response = await postJson(worker, { ...body, signerRole: 'Prokurist' }, { 'idempotency-key': key });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { type: string }).type).toBe('urn:trust-center:problem:idempotency-conflict');
    expect(await count(worker, 'acceptances')).toBe(before);
  });

  it('concurrent repeats of one key store one record and all get its receipt', async () => {
    const body = unique();
    const key = crypto.randomUUID();
    const responses = await Promise.all(Array.from({ length: 8 }, () => postJson(worker, body, { 'idempotency-key': key })));
    const texts = await Promise.all(responses.map((response) => response.text()));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(texts).size).toBe(1);
    const rows = await worker.db.prepare('SELECT COUNT(*) AS n FROM acceptances WHERE idempotency_key = ?').bind(key).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });
});

describe('concurrent acceptances', () => {
  it('get consecutive leaf indexes, grouped under fewer heads, each receipt covering its record', async () => {
    const before = await count(worker, 'acceptances');
    const headsBefore = await count(worker, 'acceptance_log_heads');
    const receipts = await Promise.all(Array.from({ length: 12 }, () => acceptJson(worker, unique())));
    const indexes = receipts.map((receipt) => receipt.leafIndex).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 12 }, (_, i) => before + i));
    // Group commit: requests that arrive while a batch is written share the next head.
    const heads = (await count(worker, 'acceptance_log_heads')) - headsBefore;
    expect(heads).toBeGreaterThanOrEqual(1);
    expect(heads).toBeLessThan(12);
    for (const receipt of receipts) expect(receipt.treeSize).toBeGreaterThan(receipt.leafIndex);
  });
});

describe('append-only storage', () => {
  it('refuses UPDATE and DELETE on records and heads', async () => {
    await acceptJson(worker, unique());
    for (const statement of [
      "UPDATE acceptances SET company_name = 'X'",
      'DELETE FROM acceptances',
      "UPDATE acceptance_log_heads SET root_hash = 'x'",
      'DELETE FROM acceptance_log_heads',
    ]) {
      await expect(worker.db.prepare(statement).run(), statement).rejects.toThrow(/append-only/);
    }
  });

  it('refuses records and heads that would leave a gap in the log', async () => {
    await acceptJson(worker, unique());
    const size = (await worker.db.prepare('SELECT MAX(tree_size) AS n FROM acceptance_log_heads').first<{ n: number }>())!.n;
    await expect(
      worker.db.prepare("INSERT INTO acceptances SELECT leaf_index + 5, 'c0ffee00-0000-4000-8000-000000000000', accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, 'gap-key-123', submission_sha256, record_json, leaf_hash, receipt_key_sha256, receipt_json FROM acceptances WHERE leaf_index = ?").bind(size - 1).run(),
    ).rejects.toThrow(/stale head/);
    await expect(
      worker.db.prepare("INSERT INTO acceptance_log_heads SELECT tree_size + 2, root_hash, leaf_hash, frontier, checkpoint, created_at, leaf_hashes FROM acceptance_log_heads WHERE tree_size = ?").bind(size).run(),
    ).rejects.toThrow(/stale head/);
    // A head claiming more leaves than were written is refused too.
    await expect(
      worker.db.prepare("INSERT INTO acceptance_log_heads SELECT tree_size + 1, root_hash, leaf_hash, frontier, checkpoint, created_at, json_array(leaf_hash) FROM acceptance_log_heads WHERE tree_size = ?").bind(size).run(),
    ).rejects.toThrow(/stale head/);
  });
});
