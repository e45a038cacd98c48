import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, verifyLedger } from '../src/cli/ledger-verify.ts';
import type { AuditReport } from '../src/domain/ledger-audit.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { verifyReceipt, type Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { acceptJson, d1Source, dropAppendOnlyTriggers, logKeyOf, manifestOf, validSubmission } from './support/acceptance.ts';
import { verifyIndependently } from './support/independent-verifier.ts';

const started: WorkerHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

/** A Worker with `n` acceptances in its log. */
async function withAcceptances(n: number): Promise<{ worker: WorkerHandle; manifest: Manifest; receipts: Receipt[] }> {
  const worker = await startWorker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '100000' } });
  started.push(worker);
  const manifest = await manifestOf(worker);
  const receipts: Receipt[] = [];
  for (let i = 0; i < n; i++) receipts.push(await acceptJson(worker, validSubmission(manifest, { signerEmail: `s${i}@beispiel.example`, companyName: `Firma ${i} GmbH` })));
  return { worker, manifest, receipts };
}

async function adminAudit(worker: WorkerHandle): Promise<AuditReport> {
  const response = await worker.fetch('/api/ledger/verify', { headers: { authorization: `Bearer ${worker.secrets.ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as AuditReport;
}

/** Both audits (admin endpoint, ledger:verify core) must report the same findings. */
async function audits(worker: WorkerHandle, manifest: Manifest): Promise<AuditReport> {
  const [viaEndpoint, viaCli] = [await adminAudit(worker), await verifyLedger(d1Source(worker), await logKeyOf(worker, manifest))];
  expect(viaCli).toEqual(viaEndpoint);
  return viaCli;
}

const summary = (report: AuditReport) => report.findings.map((finding) => [finding.kind, finding.leafIndex ?? finding.treeSize]);

describe('receipts verify independently', () => {
  it('signature, payload, inclusion proof and checkpoint check out with an implementation that shares no code', async () => {
    const { worker, receipts } = await withAcceptances(7);
    const pem = await (await worker.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    for (const receipt of receipts) {
      const result = await verifyIndependently(receipt, pem);
      expect(result, `leaf ${receipt.leafIndex}`).toMatchObject({ signature: true, payloadMatchesFields: true, inclusion: true, checkpoint: true });
    }
    // Proofs are non-trivial: leaf 3 of 4 and leaf 6 of 7 each need two siblings.
    expect(receipts[3]!.inclusionProof).toHaveLength(2);
    expect(receipts[6]!.inclusionProof).toHaveLength(2);
  });

  it('a changed record, proof or signature fails both verifiers', async () => {
    const { worker, receipts } = await withAcceptances(3);
    const pem = await (await worker.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    const jwk = (await (await worker.fetch('/api/ledger/public-key')).json()) as JsonWebKey;
    const good = receipts[2]!;
    expect((await verifyReceipt(good, jwk)).valid).toBe(true);

    const forgedRecord = { ...good, record: { ...good.record, signerRole: 'Praktikant' } };
    const independent = await verifyIndependently(forgedRecord, pem);
    expect([independent.payloadMatchesFields, independent.inclusion]).toEqual([false, false]);
    expect(await verifyReceipt(forgedRecord, jwk)).toMatchObject({ valid: false, checks: { signature: true, payload: false, inclusion: false } });

    const flipped = (hash: string) => `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}`;
    const forgedProof = { ...good, inclusionProof: good.inclusionProof.map(flipped) };
    expect((await verifyIndependently(forgedProof, pem)).inclusion).toBe(false);
    expect((await verifyReceipt(forgedProof, jwk)).checks.inclusion).toBe(false);

    const forgedSignature = { ...good, signature: receipts[1]!.signature };
    expect((await verifyIndependently(forgedSignature, pem)).signature).toBe(false);
    expect((await verifyReceipt(forgedSignature, jwk)).checks.signature).toBe(false);
  });
});

describe('public ledger endpoints', () => {
  it('the checkpoint is the latest signed head and proofs reach later trees', async () => {
    const { worker, manifest, receipts } = await withAcceptances(5);
    const checkpoint = await (await worker.fetch('/api/ledger/checkpoint')).text();
    expect(checkpoint).toBe(receipts[4]!.checkpoint);
    expect(checkpoint.split('\n').slice(0, 2)).toEqual([`${new URL(manifest.siteUrl).host}/avv-acceptances`, '5']);

    const proof = (await (await worker.fetch('/api/ledger/proof?leaf=1')).json()) as { leafIndex: number; treeSize: number; rootHash: string; inclusionProof: string[]; checkpoint: string };
    expect(proof).toMatchObject({ leafIndex: 1, treeSize: 5, rootHash: receipts[4]!.rootHash, checkpoint });
    const pem = await (await worker.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    const later = { ...receipts[1]!, treeSize: proof.treeSize, rootHash: proof.rootHash, inclusionProof: proof.inclusionProof, checkpoint: proof.checkpoint };
    expect(await verifyIndependently(later, pem)).toMatchObject({ inclusion: true, checkpoint: true });

    for (const query of ['leaf=5', 'leaf=0&size=6', 'leaf=-1', 'leaf=x']) {
      const response = await worker.fetch(`/api/ledger/proof?${query}`);
      expect([400, 404], query).toContain(response.status);
      await response.arrayBuffer();
    }
  });

  it('an empty log has a signed checkpoint of size 0', async () => {
    const { worker } = await withAcceptances(0);
    const checkpoint = await (await worker.fetch('/api/ledger/checkpoint')).text();
    expect(checkpoint.split('\n').slice(1, 3)).toEqual(['0', Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex').toString('base64')]);
    expect(checkpoint).toMatch(/\n\n\u2014 \S+ \S+\n$/);
  });

  it('the admin audit needs the admin token', async () => {
    const { worker } = await withAcceptances(0);
    const response = await worker.fetch('/api/ledger/verify');
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });
});

describe('tamper detection (attacker with database access, without the signing key)', () => {
  it('an untouched log is intact', async () => {
    const { worker, manifest } = await withAcceptances(6);
    const report = await audits(worker, manifest);
    expect(report).toMatchObject({ ok: true, treeSize: 6, recordCount: 6, findings: [] });
    expect(formatReport(report)).toMatch(/^Ledger intact: 6 record\(s\), tree size 6/);
  });

  it('names a changed, a removed and two swapped records individually', async () => {
    const { worker, manifest, receipts } = await withAcceptances(9);
    await dropAppendOnlyTriggers(worker);
    await worker.db.prepare("UPDATE acceptances SET company_name = 'Fälschung GmbH' WHERE leaf_index = 2").run();
    await worker.db.prepare('DELETE FROM acceptances WHERE leaf_index = 4').run();
    // Swap rows 5 and 6 (the leaf index is the primary key, so via a free position).
    await worker.db.batch([
      worker.db.prepare('UPDATE acceptances SET leaf_index = 1000 WHERE leaf_index = 5'),
      worker.db.prepare('UPDATE acceptances SET leaf_index = 5 WHERE leaf_index = 6'),
      worker.db.prepare('UPDATE acceptances SET leaf_index = 6 WHERE leaf_index = 1000'),
    ]);
    const report = await audits(worker, manifest);
    expect(report.ok).toBe(false);
    expect(summary(report)).toEqual([
      ['changed', 2],
      ['removed', 4],
      ['reordered', 5],
      ['reordered', 6],
    ]);
    expect(report.findings[0]).toMatchObject({ recordId: receipts[2]!.record.recordId, detail: expect.stringContaining('companyName') });
    expect(report.findings[2]).toMatchObject({ recordId: receipts[6]!.record.recordId, detail: 'holds the record logged at position 6' });
    const text = formatReport(report);
    expect(text).toMatch(/^Ledger TAMPERED: 4 finding/);
    expect(text).toContain(`CHANGED      record #2 (${receipts[2]!.record.recordId})`);
    expect(text).toContain('REMOVED      record #4');
  });

  it('names an edit of the JSON copy alone, and a record slipped in without a head', async () => {
    const { worker, manifest } = await withAcceptances(3);
    await dropAppendOnlyTriggers(worker);
    await worker.db.prepare("UPDATE acceptances SET record_json = replace(record_json, 'Firma 1', 'Firma X') WHERE leaf_index = 1").run();
    await worker.db.prepare("INSERT INTO acceptances SELECT 3, 'b0e0c5a8-0000-4000-8000-000000000000', accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, 'slipped-in', submission_sha256, record_json, leaf_hash, receipt_key_sha256, receipt_json FROM acceptances WHERE leaf_index = 0").run();
    // The slipped-in row carries record 0's receipt, which the audit names as well.
    expect(summary(await audits(worker, manifest))).toEqual([
      ['changed', 1],
      ['unlogged', 3],
      ['swapped', 3],
    ]);
  });

  it('names a forged head and a head removed with its record', async () => {
    const { worker, manifest } = await withAcceptances(6);
    await dropAppendOnlyTriggers(worker);
    await worker.db.prepare("UPDATE acceptance_log_heads SET root_hash = '00' || substr(root_hash, 3) WHERE tree_size = 2").run();
    await worker.db.batch([worker.db.prepare('DELETE FROM acceptances WHERE leaf_index = 4'), worker.db.prepare('DELETE FROM acceptance_log_heads WHERE tree_size = 5')]);
    const report = await audits(worker, manifest);
    expect(report.ok).toBe(false);
    expect(summary(report)).toEqual(
      expect.arrayContaining([
        ['head-invalid', 2],
        ['removed', 4],
        ['head-missing', 5],
      ]),
    );
    // Records whose own heads are gone are not blamed when the rest of the tree vouches for them.
    expect(report.findings.filter((finding) => finding.kind === 'changed')).toEqual([]);
  });
});
