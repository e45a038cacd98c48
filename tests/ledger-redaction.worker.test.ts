import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, verifyLedger } from '../src/cli/ledger-verify.ts';
import { berlinDateOf } from '../src/domain/calendar-date.ts';
import type { AuditReport } from '../src/domain/ledger-audit.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { d1Source, logKeyOf, manifestOf, postJson, validSubmission } from './support/acceptance.ts';
import { buildDeclarationSite, DECLARATION_CHANGES, type DeclarationSite } from './support/declaration-site.ts';
import { tempMailSink } from './support/notices.ts';
import { verifyConsistencyIndependently } from './support/independent-verifier.ts';

/*
 * Acceptance records are evidence in an append-only Merkle log, and personal data with a stated
 * retention: six years after the end of the calendar year in which the account's AVV ends. An
 * admin records that end; the cron then removes the personal fields of the account's records
 * while leaf hash, position and non-personal fields stay. Tree, checkpoints, proofs and kept
 * receipts stay valid, the audit names the records REDACTED (not tampered), and the database
 * refuses every other update.
 */

const root = path.resolve(import.meta.dirname, '..');
const started: WorkerHandle[] = [];
let worker: WorkerHandle;
let manifest: Manifest;
let receipts: Receipt[] = [];
/** The receipt capability keys, as the 201 answer hands them out (D1 keeps only their hash). */
let receiptKeys: string[] = [];
/** Today in Berlin: the AVV of ACC-ENDS ends today, so today's acceptances are covered. */
const today = berlinDateOf(new Date());
const endYear = Number(today.slice(0, 4));
/** 1 January, 00:00 Berlin, six years after the end of the year the AVV ended. */
const redactionDue = new Date(Date.UTC(endYear + 6, 11, 31, 23));

const admin = () => ({ authorization: `Bearer ${worker.secrets.ADMIN_TOKEN}`, 'content-type': 'application/json' });
const recordEnd = (body: unknown, headers: Record<string, string> = admin()) => worker.fetch('/api/retention/avv-ends', { method: 'POST', headers, body: JSON.stringify(body) });

async function audits(): Promise<AuditReport> {
  const response = await worker.fetch('/api/ledger/verify', { headers: { authorization: `Bearer ${worker.secrets.ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  const viaEndpoint = (await response.json()) as AuditReport;
  const viaCli = await verifyLedger(d1Source(worker), await logKeyOf(worker, manifest));
  expect(viaCli).toEqual(viaEndpoint);
  return viaCli;
}

const row = (leafIndex: number) => worker.db.prepare('SELECT * FROM acceptances WHERE leaf_index = ?').bind(leafIndex).first<Record<string, unknown>>();

/**
 * A Worker whose log holds five acceptances: 0 and 1 of an account whose AVV ends today, 2
 * without account id (its AVV end recorded by record id), 3 of an account whose AVV ended
 * yesterday (today's acceptance belongs to a later agreement), 4 of an account still in force.
 */
async function withAcceptances(): Promise<void> {
  worker = await startWorker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '100000', ACCEPTANCE_RATE_LIMIT_PER_EMAIL: '100000' } });
  started.push(worker);
  manifest = await manifestOf(worker);
  receipts = [];
  receiptKeys = [];
  for (const [i, accountId] of ['ACC-ENDS', 'ACC-ENDS', '', 'ACC-LATER', 'ACC-KEEPS'].entries()) {
    const response = await postJson(worker, validSubmission(manifest, { accountId, signerEmail: `signer${i}@beispiel.example`, signerName: `Person ${i}` }));
    expect(response.status).toBe(201);
    receiptKeys.push(response.headers.get('receipt-key')!);
    receipts.push((await response.json()) as Receipt);
  }
  // Delivery evidence of the receipt mail names the address too.
  await worker.db.prepare("INSERT INTO receipt_mails (record_id, recipient, state, attempts, created_at) VALUES (?, 'signer0@beispiel.example', 'failed', 5, ?) ON CONFLICT (record_id) DO NOTHING").bind(receipts[0]!.record.recordId, new Date().toISOString()).run();
}

const yesterday = () => berlinDateOf(new Date(Date.now() - 86_400_000 - 3_600_000));

/** withAcceptances(), the three AVV ends recorded, and the cron run at the instant the period ends. */
async function redactedLog(): Promise<{ redactedJustBefore: number }> {
  await withAcceptances();
  for (const body of [
    { accountId: 'ACC-ENDS', endedOn: today, recordedBy: 'Jana Beispiel (Legal)' },
    { recordId: receipts[2]!.record.recordId, endedOn: today, recordedBy: 'Legal' },
    { accountId: 'ACC-LATER', endedOn: yesterday(), recordedBy: 'Legal' },
  ]) {
    expect((await recordEnd(body)).status).toBe(201);
  }
  await worker.scheduled(new Date(redactionDue.getTime() - 1));
  const redactedJustBefore = Number(await worker.db.prepare('SELECT COUNT(*) AS n FROM ledger_redactions').first('n'));
  await worker.scheduled(redactionDue);
  return { redactedJustBefore };
}

afterAll(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

describe('recording the end of an AVV (admin API)', { timeout: 120_000 }, () => {
  beforeAll(withAcceptances, 120_000);

  it('needs the admin token, refuses bad input with problem+json naming each field, and records who and when', async () => {
    expect((await recordEnd({ accountId: 'ACC-ENDS', endedOn: today, recordedBy: 'Legal' }, { 'content-type': 'application/json' })).status).toBe(401);
    const bad = await recordEnd({ accountId: 'ACC-ENDS', endedOn: '31.12.2026', recordedBy: '' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { invalidParams: Array<{ name: string }> };
    expect(problem.invalidParams.map((param) => param.name).sort()).toEqual(['endedOn', 'recordedBy']);
    expect((await recordEnd({ endedOn: today, recordedBy: 'Legal' })).status).toBe(400);
    expect(await worker.db.prepare('SELECT COUNT(*) AS n FROM avv_ends').first('n')).toBe(0);

    // A first, wrong date and its correction: both stay, the latest counts.
    expect((await recordEnd({ accountId: 'ACC-ENDS', endedOn: '2020-01-31', recordedBy: 'Jana Beispiel (Legal)' })).status).toBe(201);
    const created = await recordEnd({ accountId: 'ACC-ENDS', endedOn: today, recordedBy: 'Jana Beispiel (Legal)', note: 'Kündigung zum heutigen Tag' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ accountId: 'ACC-ENDS', recordId: null, endedOn: today, recordedBy: 'Jana Beispiel (Legal)' });
    expect((await recordEnd({ recordId: receipts[2]!.record.recordId, endedOn: today, recordedBy: 'Legal' })).status).toBe(201);

    const listed = (await (await worker.fetch('/api/retention/avv-ends?account=ACC-ENDS', { headers: admin() })).json()) as { count: number; current: { endedOn: string } };
    expect(listed).toMatchObject({ count: 2, current: { endedOn: today } });
    await expect(worker.db.prepare("UPDATE avv_ends SET ended_on = '2099-01-01'").run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare('DELETE FROM avv_ends').run()).rejects.toThrow(/append-only/);
  });
});

describe('redaction after the retention period', { timeout: 120_000 }, () => {
  let redactedJustBefore = -1;
  let dir: string;
  beforeAll(async () => {
    ({ redactedJustBefore } = await redactedLog());
    dir = await mkdtemp(path.join(tmpdir(), 'redaction-'));
  }, 120_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('redacts nothing a millisecond before 1 January of the seventh year, and at that instant removes exactly the personal fields', async () => {
    expect(redactedJustBefore).toBe(0);
    const before = receipts[0]!.record;
    const redacted = (await worker.db.prepare('SELECT leaf_index FROM ledger_redactions ORDER BY leaf_index').all<{ leaf_index: number }>()).results.map((r) => r.leaf_index);
    // ACC-LATER's acceptance came after its AVV ended, ACC-KEEPS's AVV has not ended.
    expect(redacted).toEqual([0, 1, 2]);
    const after = await row(0);
    expect(after).toMatchObject({
      company_name: '', company_address: '', signer_name: '', signer_role: '', signer_email: '', ip_address: null, user_agent: null,
      record_json: '', receipt_json: '', submission_sha256: '',
      // What stays: position, id, time, version, hashes, account, leaf hash.
      leaf_index: 0, record_id: before.recordId, accepted_at: before.acceptedAt, avv_version: before.avvVersion, document_sha256: before.documentSha256,
      wording_sha256: before.wordingSha256, account_id: 'ACC-ENDS', idempotency_key: before.idempotencyKey,
    });
    expect(after!.leaf_hash).toBe((await worker.db.prepare('SELECT hash FROM acceptance_log_nodes WHERE level = 0 AND idx = 0').first('hash')));
    expect((await row(3))!.signer_email).toBe('signer3@beispiel.example');
    expect((await row(4))!.signer_email).toBe('signer4@beispiel.example');
    expect(await worker.db.prepare('SELECT recipient FROM receipt_mails WHERE record_id = ?').bind(receipts[0]!.record.recordId).first('recipient')).toBe('');
    // The receipt download no longer exists, even with the right key: its data is gone.
    expect((await worker.fetch(`/api/acceptances/${receipts[4]!.record.recordId}/receipt?key=${encodeURIComponent(receiptKeys[4]!)}`)).status).toBe(200);
    expect((await worker.fetch(`/api/acceptances/${receipts[0]!.record.recordId}/receipt?key=${encodeURIComponent(receiptKeys[0]!)}`)).status).toBe(404);
  });

  it('the audit reports the ledger intact with three REDACTED records, each naming when, why and the rule', async () => {
    const report = await audits();
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.redacted.map((r) => [r.leafIndex, r.rule])).toEqual([[0, 'acceptance-records'], [1, 'acceptance-records'], [2, 'acceptance-records']]);
    expect(report.redacted[0]!.redactedAt).toBe(redactionDue.toISOString());
    expect(report.redacted[0]!.reason).toContain(`the AVV of account ACC-ENDS ended on ${today}`);
    expect(report.redacted[2]!.reason).toContain(`record ${receipts[2]!.record.recordId}`);
    const text = formatReport(report);
    expect(text).toMatch(/^Ledger intact: 5 record\(s\) \(3 redacted\)/);
    expect(text).toContain(`REDACTED     record #0 (${receipts[0]!.record.recordId}): on ${redactionDue.toISOString()} under rule acceptance-records`);
  });

  it('inclusion and consistency proofs still lead to the signed roots, and a receipt the customer kept still verifies offline', async () => {
    const kept = receipts[0]!;
    const proof = await worker.fetch(`/api/ledger/proof?leaf=0&size=${receipts[4]!.treeSize}`);
    expect(proof.status).toBe(200);
    const consistency = (await (await worker.fetch(`/api/ledger/consistency?from=${kept.treeSize}`)).json()) as { from: number; to: number; fromRootHash: string; toRootHash: string; consistencyProof: string[] };
    expect(consistency.fromRootHash).toBe(kept.rootHash);
    expect(verifyConsistencyIndependently(consistency.from, consistency.to, consistency.fromRootHash, consistency.toRootHash, consistency.consistencyProof)).toBe(true);

    const pem = await (await worker.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    const document = new Uint8Array(await (await worker.fetch(new URL(kept.documentUrl!).pathname)).arrayBuffer());
    await writeFile(path.join(dir, 'receipt.json'), JSON.stringify(kept));
    await writeFile(path.join(dir, 'receipt-key.pem'), pem);
    await writeFile(path.join(dir, 'document.json'), document);
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, 'src/cli/receipt-verify.ts'), 'receipt.json', '--document', 'document.json', '--key', 'receipt-key.pem'], { cwd: dir }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`Receipt valid: record ${kept.record.recordId}.`);
  });

  it('the database refuses every update that is not a logged redaction, and redaction entries cannot be edited', async () => {
    // A redacted record's kept fields, a live record's personal fields, a live record blanked without an entry.
    await expect(worker.db.prepare("UPDATE acceptances SET avv_version = '9.9' WHERE leaf_index = 0").run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare("UPDATE acceptances SET signer_email = 'x@example.com' WHERE leaf_index = 4").run()).rejects.toThrow(/append-only/);
    await expect(
      worker.db.prepare("UPDATE acceptances SET company_name = '', company_address = '', signer_name = '', signer_role = '', signer_email = '', ip_address = NULL, user_agent = NULL, submission_sha256 = '', record_json = '', receipt_json = '' WHERE leaf_index = 4").run(),
    ).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare('DELETE FROM acceptances WHERE leaf_index = 0').run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare("UPDATE ledger_redactions SET rule = 'server-logs'").run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare('DELETE FROM ledger_redactions').run()).rejects.toThrow(/append-only/);
    // An entry for a leaf hash that is not the record's is refused too.
    await expect(
      worker.db.prepare("INSERT INTO ledger_redactions (leaf_index, record_id, leaf_hash, redacted_at, rule, statement) VALUES (4, ?, ?, '2040-01-01T00:00:00.000Z', 'acceptance-records', 'x')").bind(receipts[4]!.record.recordId, '0'.repeat(64)).run(),
    ).rejects.toThrow(/no such record/);
    expect((await row(4))!.signer_email).toBe('signer4@beispiel.example');
    expect((await audits()).ok).toBe(true);
  });

});

describe('tampering after redaction', { timeout: 120_000 }, () => {
  beforeAll(redactedLog, 120_000);

  it('with the triggers gone, the audit tells tampering from redaction: an edited kept field, a deletion without entry, a forged entry', async () => {
    for (const trigger of ['acceptances_update_only_redaction', 'ledger_redactions_of_logged_record']) await worker.db.prepare(`DROP TRIGGER ${trigger}`).run();
    const blank = "company_name = '', company_address = '', signer_name = '', signer_role = '', signer_email = '', ip_address = NULL, user_agent = NULL, submission_sha256 = '', record_json = '', receipt_json = ''";
    await worker.db.batch([
      // Redacted record 1, then its version changed.
      worker.db.prepare("UPDATE acceptances SET avv_version = '9.9' WHERE leaf_index = 1"),
      // Live record 3 stripped of its data as if redacted, without an entry.
      worker.db.prepare(`UPDATE acceptances SET ${blank} WHERE leaf_index = 3`),
      // Live record 4 stripped, with an entry whose statement is record 0's (signed, but for another record)…
      worker.db.prepare(`UPDATE acceptances SET ${blank} WHERE leaf_index = 4`),
      worker.db.prepare("INSERT INTO ledger_redactions (leaf_index, record_id, leaf_hash, redacted_at, rule, statement) SELECT 4, a.record_id, a.leaf_hash, '2040-01-01T00:00:00.000Z', 'acceptance-records', r.statement FROM acceptances a, ledger_redactions r WHERE a.leaf_index = 4 AND r.leaf_index = 0"),
    ]);
    const report = await audits();
    expect(report.ok).toBe(false);
    const kinds = report.findings.map((finding) => [finding.kind, finding.leafIndex]);
    expect(report.findings.filter((finding) => finding.leafIndex === 1).map((finding) => [finding.kind, finding.detail])).toEqual([['changed', 'changed after redaction: avvVersion']]);
    expect(kinds).toContainEqual(['changed', 3]);
    expect(report.findings.find((finding) => finding.leafIndex === 3)!.detail).toContain('without a signed redaction entry');
    expect(report.findings.find((finding) => finding.leafIndex === 4)!.detail).toBe('the redaction statement is for another record');
    // Records 0 and 2 are still lawfully redacted.
    expect(report.redacted.map((r) => r.leafIndex)).toEqual([0, 2]);

    // A statement not signed by the log key at all.
    await worker.db.prepare('DROP TRIGGER ledger_redactions_no_update').run();
    await worker.db.prepare("UPDATE ledger_redactions SET statement = 'trust-center/ledger-redaction@1\n{}\n\n— forged AAAA\n' WHERE leaf_index = 2").run();
    const forged = await audits();
    expect(forged.findings.filter((finding) => finding.leafIndex === 2).map((finding) => [finding.kind, finding.detail])).toEqual([['redaction-invalid', 'its redaction statement is not signed by the log key']]);
    const text = formatReport(forged);
    expect(text).toMatch(/^Ledger TAMPERED/);
    expect(text).toContain('REDACTION-INVALID record #2');
    expect(text).toContain('REDACTED     record #0');
  });
});

describe('redaction of declaration records (rule objection-records)', { timeout: 600_000 }, () => {
  let site: DeclarationSite;
  let sink: Awaited<ReturnType<typeof tempMailSink>>;
  const declarationRow = (leafIndex: number) => worker.db.prepare('SELECT * FROM declarations WHERE leaf_index = ?').bind(leafIndex).first<Record<string, unknown>>();
  let redactedJustBefore = -1;

  /** Two objections on an open change: 0 of an account whose AVV ends today, 1 of an account still in force. */
  beforeAll(async () => {
    site = await buildDeclarationSite();
    sink = await tempMailSink();
    worker = await startWorker({ serverDir: site.serverDir, vars: { ...sink.vars, ACCEPTANCE_RATE_LIMIT_PER_IP: '100000' } });
    started.push(worker);
    manifest = await manifestOf(worker);
    for (const [i, accountId] of ['ACC-DECL-ENDS', 'ACC-DECL-KEEPS'].entries()) {
      const response = await worker.fetch('/api/objections', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          kind: 'objection', changeId: DECLARATION_CHANGES.open, companyName: 'Beispiel Handels GmbH', accountId,
          signerName: `Person ${i}`, signerRole: 'Datenschutzbeauftragte', signerEmail: `decl${i}@beispiel.example`, lang: 'de', reason: 'Erika Mustermann hat Bedenken',
        }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
    }
    expect((await recordEnd({ accountId: 'ACC-DECL-ENDS', endedOn: today, recordedBy: 'Legal' })).status).toBe(201);
    await worker.scheduled(new Date(redactionDue.getTime() - 1));
    redactedJustBefore = Number(await worker.db.prepare('SELECT COUNT(*) AS n FROM ledger_redactions').first('n'));
    await worker.scheduled(redactionDue);
  }, 600_000);
  afterAll(async () => {
    await sink?.close();
    await site?.remove();
  });

  it('at the instant the period ends removes exactly the personal fields, the leaf hash kept, and the audit names it REDACTED', async () => {
    expect(redactedJustBefore).toBe(0);
    const before = await declarationRow(1);
    const after = await declarationRow(0);
    expect(after).toMatchObject({
      company_name: '', signer_name: '', signer_role: '', signer_email: '', reason: null, ip_address: null, user_agent: null,
      record_json: '', receipt_json: '', submission_sha256: '',
      leaf_index: 0, kind: 'objection', change_id: DECLARATION_CHANGES.open, account_id: 'ACC-DECL-ENDS',
    });
    expect(after!.leaf_hash).toBe(await worker.db.prepare('SELECT hash FROM acceptance_log_nodes WHERE level = 0 AND idx = 0').first('hash'));
    expect(before!.signer_email).toBe('decl1@beispiel.example');

    const report = await audits();
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.redacted.map((r) => [r.leafIndex, r.rule, r.redactedAt])).toEqual([[0, 'objection-records', redactionDue.toISOString()]]);
    expect(report.redacted[0]!.reason).toContain(`the AVV of account ACC-DECL-ENDS ended on ${today}`);
    expect(formatReport(report)).toContain(`REDACTED     record #0 (${after!.record_id}): on ${redactionDue.toISOString()} under rule objection-records`);
  });

  it('the database refuses every update of a declaration that is not a logged redaction', async () => {
    await expect(worker.db.prepare("UPDATE declarations SET kind = 'consent' WHERE leaf_index = 0").run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare("UPDATE declarations SET signer_email = 'x@example.com' WHERE leaf_index = 1").run()).rejects.toThrow(/append-only/);
    await expect(
      worker.db.prepare("UPDATE declarations SET company_name = '', signer_name = '', signer_role = '', signer_email = '', reason = NULL, ip_address = NULL, user_agent = NULL, submission_sha256 = '', record_json = '', receipt_json = '' WHERE leaf_index = 1").run(),
    ).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare('DELETE FROM declarations WHERE leaf_index = 0').run()).rejects.toThrow(/append-only/);
    expect((await declarationRow(1))!.signer_email).toBe('decl1@beispiel.example');
    expect((await audits()).ok).toBe(true);
  });
});
