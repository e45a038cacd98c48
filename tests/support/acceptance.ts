import { appendRecord, headFrontier, logOrigin, type LogKey } from '../../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../../src/domain/acceptance-record.ts';
import { ledgerHeadRow, rowValues, type HeadRow } from '../../src/domain/ledger-rows.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { importSigningKey } from '../../src/domain/signing-key.ts';
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

export async function count(worker: WorkerHandle, table: 'acceptances' | 'acceptance_log_heads' | 'rate_limits'): Promise<number> {
  const row = await worker.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
  return row!.n;
}

/** The log key of a harness Worker, as the audit and ledger:verify need it. */
export async function logKeyOf(worker: WorkerHandle, manifest: Manifest): Promise<LogKey> {
  return { ...(await importSigningKey(worker.secrets.RECEIPT_SIGNING_KEY!)), name: logOrigin(manifest.siteUrl) };
}

/** ledger:verify's row source over the harness D1. */
export function d1Source(worker: WorkerHandle): LedgerSource {
  return { query: async <T>(sql: string) => (await worker.db.prepare(sql).all<T>()).results };
}

/**
 * Appends a record the way the Worker does (same domain code, same one-batch write), for states
 * the API cannot produce today, such as an acceptance of a superseded version.
 */
export async function appendDirectly(worker: WorkerHandle, manifest: Manifest, fields: Partial<AcceptanceRecord>): Promise<Receipt> {
  const key = await logKeyOf(worker, manifest);
  const head = await worker.db.prepare('SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1').first<HeadRow>();
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
  const append = await appendRecord(headFrontier(head ? ledgerHeadRow(head) : null), record, key);
  const row = rowValues(record, append.leafIndex, append.recordJson, append.leafHash);
  const columns = [...Object.keys(row), 'submission_sha256', 'receipt_key', 'receipt_json'];
  await worker.db.batch([
    worker.db.prepare(`INSERT INTO acceptances (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).bind(...Object.values(row), '0'.repeat(64), 'test-key', JSON.stringify(append.receipt)),
    worker.db
      .prepare('INSERT INTO acceptance_log_heads (tree_size, root_hash, leaf_hash, frontier, checkpoint, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(append.head.treeSize, append.head.rootHash, append.head.leafHash, append.head.frontier, append.head.checkpoint, record.acceptedAt),
  ]);
  return append.receipt;
}

/** Removes the append-only triggers: an attacker with direct database access. */
export async function dropAppendOnlyTriggers(worker: WorkerHandle): Promise<void> {
  for (const trigger of ['acceptances_no_update', 'acceptances_no_delete', 'acceptance_log_heads_no_update', 'acceptance_log_heads_no_delete']) {
    await worker.db.prepare(`DROP TRIGGER ${trigger}`).run();
  }
}
