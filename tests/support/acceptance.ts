import { appendRecords, headFrontier, logOrigin, type LogKey } from '../../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../../src/domain/acceptance-record.ts';
import { ledgerHeadRow, SELECT_LATEST_HEAD } from '../../src/domain/ledger-rows.ts';
import { witnessLeaf, writeWitness, WITNESS_FORMAT, type WitnessBucket } from '../../src/domain/ledger-witness.ts';
import { groupCommitStatements } from '../../functions/acceptances/log-store.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { importSigningKey } from '../../src/domain/signing-key.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import type { LedgerSource } from '../../src/cli/ledger-verify.ts';
import type { WorkerHandle } from '../setup/worker-harness.ts';

/** The manifest the running Worker trusts (its /manifest.json). */
export async function manifestOf(worker: WorkerHandle): Promise<Manifest> {
  return (await (await worker.fetch('/manifest.json')).json()) as Manifest;
}

/** A complete, valid JSON submission for the current version; override fields per test. */
export function validSubmission(manifest: Manifest, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const current = manifest.avvVersions.find((version) => version.status === 'current')!;
  return {
    avvVersion: current.version,
    documentSha256: current.documentSha256,
    wordingVersion: manifest.acceptanceWording.version,
    companyName: 'Beispiel Handels GmbH',
    companyAddress: 'Musterstraße 1\n20095 Hamburg',
    signerName: 'Erika Mustermann',
    signerRole: 'Geschäftsführerin',
    signerEmail: 'erika@beispiel.example',
    accountId: 'ACC-1001',
    authorised: true,
    lang: 'de',
    ...overrides,
  };
}

export function postJson(worker: WorkerHandle, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return worker.fetch('/api/acceptances', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A no-JS form post as a browser sends it from the accept page (same origin). */
export function postForm(worker: WorkerHandle, fields: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    form.set(name, value === true ? 'on' : String(value));
  }
  return worker.fetch('/api/acceptances', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...headers },
    body: form.toString(),
    redirect: 'manual',
  });
}

export async function acceptJson(worker: WorkerHandle, body: unknown, headers: Record<string, string> = {}): Promise<Receipt> {
  const response = await postJson(worker, body, headers);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as Receipt;
}

export async function count(worker: WorkerHandle, table: 'acceptances' | 'acceptance_log_heads' | 'acceptance_log_nodes' | 'rate_limits'): Promise<number> {
  const row = await worker.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
  return row!.n;
}

/** The log key of a harness Worker, as the audit and ledger:verify need it. */
export async function logKeyOf(worker: Pick<WorkerHandle, 'secrets'>, manifest: Manifest): Promise<LogKey> {
  return { ...(await importSigningKey(worker.secrets.RECEIPT_SIGNING_KEY!)), name: logOrigin(manifest.siteUrl) };
}

/** ledger:verify's source over the harness D1 and witness bucket. */
export function d1Source(worker: WorkerHandle): LedgerSource {
  return { query: async <T>(sql: string) => (await worker.db.prepare(sql).all<T>()).results, witness: worker.witness as unknown as WitnessBucket };
}

/**
 * Appends a record the way the sequencer does (same domain code, same one-batch write, same
 * witness object) but beside it — the sequencer then finds its head stale and reloads — for states
 * the API cannot produce today, such as an acceptance of a superseded version.
 */
export async function appendDirectly(worker: Pick<WorkerHandle, 'db' | 'witness' | 'secrets'>, manifest: Manifest, fields: Partial<AcceptanceRecord>): Promise<Receipt> {
  const key = await logKeyOf(worker, manifest);
  const head = await worker.db.prepare(SELECT_LATEST_HEAD).first();
  const record: AcceptanceRecord = {
    format: RECORD_FORMAT,
    recordId: crypto.randomUUID(),
    acceptedAt: new Date().toISOString(),
    avvVersion: '1.0',
    documentSha256: manifest.avvVersions[0]!.documentSha256,
    wordingVersion: manifest.acceptanceWording.version,
    wordingSha256: manifest.acceptanceWording.sha256,
    lang: 'de',
    companyName: 'Altkunde AG',
    companyAddress: 'Alter Wall 1\n20457 Hamburg',
    signerName: 'Otto Normal',
    signerRole: 'Vorstand',
    signerEmail: 'otto@altkunde.example',
    accountId: null,
    ipAddress: null,
    userAgent: null,
    idempotencyKey: crypto.randomUUID(),
    ...fields,
  };
  const previous = headFrontier(head ? ledgerHeadRow(head) : null);
  const commit = await appendRecords(previous, [record], key);
  const [appended] = commit.records;
  const receiptJson = JSON.stringify(appended!.receipt);
  const receiptKeySha256 = await sha256Hex('test-key');
  await worker.db.batch(groupCommitStatements(worker.db, commit, [{ record, fingerprint: '0'.repeat(64), receiptKeySha256, receiptJson }], record.acceptedAt));
  await writeWitness(worker.witness as unknown as WitnessBucket, {
    format: WITNESS_FORMAT,
    treeSize: commit.head.treeSize,
    previousSize: previous.size,
    rootHash: commit.head.rootHash,
    checkpoint: commit.head.checkpoint,
    leaves: [await witnessLeaf(appended!.leafIndex, record.recordId, appended!.leafHash, receiptJson, receiptKeySha256)],
  });
  return appended!.receipt;
}

/** Removes the append-only triggers: an attacker with direct database access. */
export async function dropAppendOnlyTriggers(worker: WorkerHandle): Promise<void> {
  for (const trigger of ['acceptances_no_update', 'acceptances_key_hashed_once', 'acceptances_no_delete', 'acceptance_log_heads_no_update', 'acceptance_log_heads_no_delete', 'acceptance_log_nodes_no_update', 'acceptance_log_nodes_no_delete']) {
    await worker.db.prepare(`DROP TRIGGER ${trigger}`).run();
  }
}
