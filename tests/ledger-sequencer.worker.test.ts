import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, verifyLedger } from '../src/cli/ledger-verify.ts';
import type { AuditReport } from '../src/domain/ledger-audit.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker, type WorkerHandle, type WorkerOptions } from './setup/worker-harness.ts';
import { acceptJson, appendDirectly, count, d1Source, dropAppendOnlyTriggers, logKeyOf, manifestOf, postJson, validSubmission } from './support/acceptance.ts';
import { verifyConsistencyIndependently, verifyIndependently } from './support/independent-verifier.ts';

const started: WorkerHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

async function worker(options: WorkerOptions = {}): Promise<{ worker: WorkerHandle; manifest: Manifest }> {
  const handle = await startWorker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '100000', ACCEPTANCE_RATE_LIMIT_PER_EMAIL: '100000' }, ...options });
  started.push(handle);
  return { worker: handle, manifest: await manifestOf(handle) };
}

/** n acceptances one after the other: one head, one witness object each. */
async function sequential(w: WorkerHandle, manifest: Manifest, n: number, tag = 'a'): Promise<Receipt[]> {
  const receipts: Receipt[] = [];
  for (let i = 0; i < n; i++) receipts.push(await acceptJson(w, validSubmission(manifest, { signerEmail: `${tag}${i}@beispiel.example`, companyName: `Firma ${tag}${i} GmbH` })));
  return receipts;
}

/** The admin endpoint and the ledger:verify core must agree; returns the report. */
async function audit(w: WorkerHandle, manifest: Manifest, checkpoints: string[] = []): Promise<AuditReport> {
  const query = checkpoints.map((checkpoint) => `checkpoint=${encodeURIComponent(checkpoint)}`).join('&');
  const response = await w.fetch(`/api/ledger/verify${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  const viaEndpoint = (await response.json()) as AuditReport;
  const viaCli = await verifyLedger(d1Source(w), await logKeyOf(w, manifest), checkpoints);
  expect(viaCli).toEqual(viaEndpoint);
  return viaCli;
}

const summary = (report: AuditReport) => report.findings.map((finding) => [finding.kind, finding.leafIndex ?? finding.treeSize ?? null]);

/** An attacker with database access deletes the newest `n` records with their heads (and nodes). */
async function deleteNewest(w: WorkerHandle, n: number): Promise<void> {
  await dropAppendOnlyTriggers(w);
  const size = (await w.db.prepare('SELECT MAX(tree_size) AS n FROM acceptance_log_heads').first<{ n: number }>())!.n;
  await w.db.batch([
    w.db.prepare('DELETE FROM acceptances WHERE leaf_index >= ?').bind(size - n),
    w.db.prepare('DELETE FROM acceptance_log_heads WHERE tree_size > ?').bind(size - n),
    w.db.prepare('DELETE FROM acceptance_log_nodes WHERE idx * (1 << level) + (1 << level) > ?').bind(size - n),
  ]);
}

describe('sequencer: concurrent appends from several Worker isolates', { timeout: 120_000 }, () => {
  it('gives every append its own position and receipt, groups them under fewer checkpoints, and the log audits intact', async () => {
    const { worker: w, manifest } = await worker({ instances: 4 });
    const n = 60;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        w.fetchInstance(i % 4, '/api/acceptances', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(validSubmission(manifest, { signerEmail: `iso${i}@beispiel.example`, companyName: `Isolat ${i} GmbH` })),
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: n }, () => 201));
    const receipts = (await Promise.all(responses.map((response) => response.json()))) as Receipt[];
    expect(receipts.map((receipt) => receipt.leafIndex).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(new Set(receipts.map((receipt) => receipt.record.recordId)).size).toBe(n);

    // Group commit: fewer signed heads than records; each batch is one head and one witness object.
    const heads = await count(w, 'acceptance_log_heads');
    expect(heads).toBeLessThan(n);
    expect((await w.witness.list({ prefix: 'checkpoints/' })).objects).toHaveLength(heads);

    // Each receipt proves its record into the checkpoint of its own batch (which may cover later leaves).
    const pem = await (await w.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    for (const receipt of receipts) {
      expect(receipt.treeSize).toBeGreaterThan(receipt.leafIndex);
      expect(await verifyIndependently(receipt, pem), `leaf ${receipt.leafIndex}`).toMatchObject({ signature: true, payloadMatchesFields: true, inclusion: true, checkpoint: true });
    }
    const batched = receipts.filter((receipt) => receipt.treeSize > receipt.leafIndex + 1);
    expect(batched.length).toBeGreaterThan(0);

    // Every checkpoint handed out is consistent with the final one.
    const sizes = [...new Set(receipts.map((receipt) => receipt.treeSize))].sort((a, b) => a - b);
    for (const from of sizes) {
      const proof = (await (await w.fetch(`/api/ledger/consistency?from=${from}`)).json()) as { from: number; to: number; toRootHash: string; consistencyProof: string[] };
      const fromRoot = receipts.find((receipt) => receipt.treeSize === from)!.rootHash;
      expect(proof.to).toBe(n);
      expect(verifyConsistencyIndependently(from, n, fromRoot, proof.toRootHash, proof.consistencyProof), `${from} → ${n}`).toBe(true);
    }

    const report = await audit(w, manifest, [receipts[0]!.checkpoint]);
    expect(report).toMatchObject({ ok: true, treeSize: n, recordCount: n, witnessedSize: n, findings: [] });
  });

  it('a double submit spread over isolates stores one record; a different body under that key is refused', async () => {
    const { worker: w, manifest } = await worker({ instances: 3 });
    const body = JSON.stringify(validSubmission(manifest, { signerEmail: 'twice@beispiel.example' }));
    const send = (instance: number, payload: string) =>
      w.fetchInstance(instance, '/api/acceptances', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': 'one-key-for-all' }, body: payload });
    const responses = await Promise.all([0, 1, 2, 0, 1, 2].map((instance) => send(instance, body)));
    const texts = await Promise.all(responses.map((response) => response.text()));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(texts).size).toBe(1);
    expect(await count(w, 'acceptances')).toBe(1);
    const other = await send(1, JSON.stringify(validSubmission(manifest, { signerEmail: 'someone-else@beispiel.example' })));
    expect(other.status).toBe(422);
    await other.arrayBuffer();
  });

  it('keeps sequencing correctly when another writer appended behind its back', async () => {
    const { worker: w, manifest } = await worker();
    await sequential(w, manifest, 2);
    await appendDirectly(w, manifest, {});
    const receipts = await sequential(w, manifest, 2, 'b');
    expect(receipts.map((receipt) => receipt.leafIndex)).toEqual([3, 4]);
    expect((await audit(w, manifest)).ok).toBe(true);
  });
});

describe('GET /api/ledger/consistency and /proof', { timeout: 120_000 }, () => {
  it('proofs work for a log whose inner tree nodes are missing (written before migration 0010)', async () => {
    const { worker: w, manifest } = await worker();
    const receipts = await sequential(w, manifest, 5);
    await dropAppendOnlyTriggers(w);
    await w.db.prepare('DELETE FROM acceptance_log_nodes WHERE level > 0').run();
    // The proof endpoint has the sequencer fill them in, then answers.
    const response = await w.fetch('/api/ledger/proof?leaf=2');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ treeSize: 5, rootHash: receipts[4]!.rootHash });
    expect(await count(w, 'acceptance_log_nodes')).toBe(5 + 2 + 1);
    // And the sequencer, reloading after another writer moved the head, keeps them complete.
    await w.db.prepare('DELETE FROM acceptance_log_nodes WHERE level > 0').run();
    await appendDirectly(w, manifest, {});
    const [last] = await sequential(w, manifest, 1, 'after');
    expect(last!.leafIndex).toBe(6);
    // Every node of the 7-leaf tree is there before any proof was asked for: 7 + 3 + 1.
    expect(await count(w, 'acceptance_log_nodes')).toBe(11);
    const later = await w.fetch('/api/ledger/consistency?from=3');
    expect(later.status).toBe(200);
    expect(await later.json()).toMatchObject({ to: 7, toRootHash: last!.rootHash });
  });

  it('answers proofs between signed sizes and refuses the impossible ones', async () => {
    const { worker: w, manifest } = await worker();
    const receipts = await sequential(w, manifest, 7);
    const proof = (await (await w.fetch('/api/ledger/consistency?from=3&to=6')).json()) as { from: number; to: number; fromRootHash: string; toRootHash: string; consistencyProof: string[]; checkpoint: string };
    expect(proof).toMatchObject({ from: 3, to: 6, fromRootHash: receipts[2]!.rootHash, toRootHash: receipts[5]!.rootHash, checkpoint: receipts[5]!.checkpoint });
    expect(verifyConsistencyIndependently(3, 6, receipts[2]!.rootHash, receipts[5]!.rootHash, proof.consistencyProof)).toBe(true);
    expect(verifyConsistencyIndependently(3, 6, receipts[1]!.rootHash, receipts[5]!.rootHash, proof.consistencyProof)).toBe(false);
    for (const [query, status] of [['from=0', 400], ['from=x', 400], ['from=8', 404], ['from=2&to=9', 404], ['', 400]] as const) {
      const response = await w.fetch(`/api/ledger/consistency?${query}`);
      expect(response.status, query).toBe(status);
      expect(response.headers.get('content-type'), query).toMatch(/^application\/problem\+json/);
      await response.arrayBuffer();
    }
  });

  it('serves an inclusion proof from the tree nodes and the one head it proves to, not from every head', async () => {
    const { worker: w, manifest } = await worker();
    const receipts = await sequential(w, manifest, 6);
    // Without the older heads the proof still comes out: it reads the nodes and head 6 only.
    await dropAppendOnlyTriggers(w);
    await w.db.prepare('DELETE FROM acceptance_log_heads WHERE tree_size < 6').run();
    const proof = (await (await w.fetch('/api/ledger/proof?leaf=2')).json()) as { treeSize: number; rootHash: string; inclusionProof: string[]; checkpoint: string };
    const pem = await (await w.fetch('/.well-known/trust-center/receipt-key.pem')).text();
    expect(await verifyIndependently({ ...receipts[2]!, ...proof }, pem)).toMatchObject({ inclusion: true, checkpoint: true });
    // A size without a signed checkpoint has no proof.
    const unsigned = await w.fetch('/api/ledger/proof?leaf=1&size=4');
    expect(unsigned.status).toBe(404);
    await unsigned.arrayBuffer();
  });
});

describe('the witness outside D1 (attacker with database access, without the signing key)', { timeout: 120_000 }, () => {
  it('names the newest records deleted with their heads as truncated, by record id', async () => {
    const { worker: w, manifest } = await worker();
    const receipts = await sequential(w, manifest, 6);
    await deleteNewest(w, 2);
    const report = await audit(w, manifest);
    expect(report.ok).toBe(false);
    expect(summary(report)).toEqual([
      ['truncated', 4],
      ['truncated', 5],
    ]);
    expect(report.findings.map((finding) => finding.recordId)).toEqual([receipts[4]!.record.recordId, receipts[5]!.record.recordId]);
    expect(formatReport(report)).toContain(`TRUNCATED    record #4 (${receipts[4]!.record.recordId})`);
    // A customer's receipt shows it too, without the witness.
    const withReceipt = await audit(w, manifest, [receipts[5]!.checkpoint]);
    expect(summary(withReceipt)).toContainEqual(['truncated', 6]);
  });

  it('names a wipe of both tables', async () => {
    const { worker: w, manifest } = await worker();
    await sequential(w, manifest, 3);
    await deleteNewest(w, 3);
    expect(await count(w, 'acceptances')).toBe(0);
    const report = await audit(w, manifest);
    expect(summary(report)).toEqual([['wiped', 3]]);
    expect(formatReport(report)).toMatch(/^Ledger TAMPERED: 1 finding/);
  });

  it('names a fork: an older state restored and appended to anew', async () => {
    const { worker: w, manifest } = await worker();
    const original = await sequential(w, manifest, 5);
    await deleteNewest(w, 2);
    // Someone appends on top of what D1 now says, beside the sequencer (which refuses, below).
    const rewritten = [await appendDirectly(w, manifest, { companyName: 'Neu 1 AG' }), await appendDirectly(w, manifest, { companyName: 'Neu 2 AG' })];
    expect(rewritten.map((receipt) => receipt.leafIndex)).toEqual([3, 4]);
    const report = await audit(w, manifest, [original[4]!.checkpoint]);
    expect(report.ok).toBe(false);
    const forked = report.findings.filter((finding) => finding.kind === 'forked');
    expect(forked.map((finding) => finding.treeSize)).toEqual([4, 5, 5]);
    expect(forked.some((finding) => finding.detail.includes('handed-in checkpoint 1'))).toBe(true);
  });

  it('names receipts and receipt keys swapped between records', async () => {
    const { worker: w, manifest } = await worker();
    const receipts = await sequential(w, manifest, 4);
    await dropAppendOnlyTriggers(w);
    const before = await w.db.prepare('SELECT leaf_index, receipt_json, receipt_key_sha256 FROM acceptances ORDER BY leaf_index').all<{ leaf_index: number; receipt_json: string; receipt_key_sha256: string }>();
    const swap = (column: 'receipt_json' | 'receipt_key_sha256', a: number, b: number) =>
      w.db.batch([
        w.db.prepare(`UPDATE acceptances SET ${column} = ? WHERE leaf_index = ?`).bind(before.results[b]![column], a),
        w.db.prepare(`UPDATE acceptances SET ${column} = ? WHERE leaf_index = ?`).bind(before.results[a]![column], b),
      ]);
    await swap('receipt_json', 0, 1);
    await swap('receipt_key_sha256', 2, 3);

    const report = await audit(w, manifest);
    expect(summary(report)).toEqual([
      ['swapped', 0],
      ['swapped', 1],
      ['swapped', 2],
      ['swapped', 3],
    ]);
    expect(report.findings[0]).toMatchObject({ recordId: receipts[0]!.record.recordId, detail: 'receipt_json is not the receipt issued for this record; it is the one issued for record #1' });
    expect(report.findings[2]!.detail).toBe('receipt_key_sha256 is not the hash of the key issued with this record; it is the one issued for record #3');
  });

  it('refuses to append while D1 is behind its witness (restored from an older backup), writing nothing', async () => {
    const { worker: w, manifest } = await worker();
    await sequential(w, manifest, 4);
    await deleteNewest(w, 2);
    const witnessObjects = (await w.witness.list()).objects.length;
    const refused = await postJson(w, validSubmission(manifest, { signerEmail: 'late@beispiel.example' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await refused.json()) as { type: string; detail: string };
    expect(problem.type).toBe('urn:trust-center:problem:log-behind-witness');
    expect(problem.detail).toContain('run npm run ledger:verify');
    expect(problem.detail).toContain('up to tree size 2, its witness up to 4');
    expect(await count(w, 'acceptances')).toBe(2);
    expect(await count(w, 'acceptance_log_heads')).toBe(2);
    expect((await w.witness.list()).objects.length).toBe(witnessObjects);
    // The audit names what happened; nothing was forked.
    expect(summary(await audit(w, manifest)).map(([kind]) => kind)).toEqual(['truncated', 'truncated']);
  });

  it('a checkpoint whose witness write failed is written by the restarted sequencer (kept in its own storage)', async () => {
    const { worker: w, manifest } = await worker();
    await sequential(w, manifest, 1);
    await w.restart({ witnessUnavailable: true });
    // R2 fails: the acceptance stands (its receipt is valid), the checkpoint waits.
    await sequential(w, manifest, 1, 'while-down');
    // Evicted / redeployed before any retry: nothing in memory survives this.
    await w.restart();
    const names = async () => (await w.witness.list({ prefix: 'checkpoints/' })).objects.map((object) => Number(object.key.slice('checkpoints/'.length, 'checkpoints/'.length + 16)));
    expect(await names()).toEqual([1]);
    await sequential(w, manifest, 1, 'after');
    expect(await names()).toEqual([1, 2, 3]);
    expect(await audit(w, manifest)).toMatchObject({ ok: true, treeSize: 3, witnessedSize: 3 });
  });

  it('refuses a handed-in checkpoint that the log key did not sign', async () => {
    const { worker: w, manifest } = await worker();
    const [receipt] = await sequential(w, manifest, 1);
    const forged = receipt!.checkpoint.replace(/\n1\n/, '\n2\n');
    expect(summary(await audit(w, manifest, [forged]))).toEqual([['outside-invalid', null]]);
  });

  it('answers 503 "retry" when D1 refuses a batch, and the log stays intact', async () => {
    const { worker: w, manifest } = await worker();
    await w.db.prepare("CREATE TRIGGER inject_failure BEFORE INSERT ON acceptance_log_nodes BEGIN SELECT RAISE(ABORT, 'injected failure'); END").run();
    const failed = await postJson(w, validSubmission(manifest));
    expect(failed.status).toBe(503);
    await failed.arrayBuffer();
    expect(await count(w, 'acceptances')).toBe(0);
    await w.db.prepare('DROP TRIGGER inject_failure').run();
    await sequential(w, manifest, 2);
    expect(await audit(w, manifest)).toMatchObject({ ok: true, treeSize: 2, witnessedSize: 2 });
  });
});
