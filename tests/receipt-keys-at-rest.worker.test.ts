import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { manifestOf, postJson, validSubmission } from './support/acceptance.ts';

/*
 * Receipt capability keys at rest (issue #8): D1 holds only SHA-256 of a key, never the key,
 * and records from before migration 0013 lose their clear key to a hash at the next cron run.
 */
const started: WorkerHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every value of every row of every table, as text: where a leaked key would be found. */
async function everythingStored(worker: WorkerHandle): Promise<string> {
  const { results: tables } = await worker.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const dumps = await Promise.all(tables.map(async ({ name }) => JSON.stringify((await worker.db.prepare(`SELECT * FROM "${name}"`).all()).results)));
  return dumps.join('\n');
}

describe('receipt keys are stored as hashes only', { timeout: 120_000 }, () => {
  it('a new acceptance hands out its key once, and no table holds it', async () => {
    const worker = await startWorker({ vars: { ACCEPTANCE_RATE_LIMIT_PER_IP: '1000' } });
    started.push(worker);
    const manifest = await manifestOf(worker);
    const body = validSubmission(manifest, { idempotencyKey: crypto.randomUUID() });
    const response = await postJson(worker, body);
    expect(response.status).toBe(201);
    const key = response.headers.get('receipt-key')!;
    const { record } = (await response.json()) as { record: { recordId: string } };
    expect(key.length).toBeGreaterThanOrEqual(22);

    expect(await everythingStored(worker)).not.toContain(key);
    const columns = (await worker.db.prepare('PRAGMA table_info(acceptances)').all<{ name: string }>()).results.map((column) => column.name);
    expect(columns).not.toContain('receipt_key');
    const row = await worker.db.prepare('SELECT receipt_key_sha256 FROM acceptances WHERE record_id = ?').bind(record.recordId).first<{ receipt_key_sha256: string }>();
    expect(row!.receipt_key_sha256).toBe(sha256(key));

    const download = await worker.fetch(`/api/acceptances/${record.recordId}/receipt?key=${encodeURIComponent(key)}`);
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    // One character changed; never the character already there (a key ends in "A" one time in 64).
    const wrongKey = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const wrong = await worker.fetch(`/api/acceptances/${record.recordId}/receipt?key=${encodeURIComponent(wrongKey)}`);
    expect(wrong.status).toBe(404);
    await wrong.arrayBuffer();
    // The client that lost the first answer gets the same working key again, derived, not stored.
    const replay = await postJson(worker, body);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('receipt-key')).toBe(key);
    await replay.arrayBuffer();
  });

  it('migration 0013 moves pre-0013 keys out of acceptances; the cron hashes them; receipts still open', async () => {
    const worker = await startWorker({ migrationsBefore: '0013' });
    started.push(worker);
    const recordId = crypto.randomUUID();
    // A row as migration 0002/0010 stored it, key in clear (values need not verify here).
    await worker.db
      .prepare(
        `INSERT INTO acceptances (leaf_index, record_id, accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, idempotency_key, submission_sha256, record_json, leaf_hash, receipt_key, receipt_json)
         VALUES (0, ?, '2026-11-01T00:00:00.000Z', '1.0', ?, '1', ?, 'de', 'Alt GmbH', 'Weg 1', 'Ada', 'GF', 'ada@alt.example', NULL, NULL, NULL, 'idem-legacy', ?, '{}', ?, 'legacy-key-0123456789', '{"legacy":true}')`,
      )
      .bind(recordId, '0'.repeat(64), '1'.repeat(64), '2'.repeat(64), '3'.repeat(64))
      .run();
    await applyMigrations(worker.db, { from: '0013' });

    const columns = (await worker.db.prepare('PRAGMA table_info(acceptances)').all<{ name: string }>()).results.map((column) => column.name);
    expect(columns).not.toContain('receipt_key');
    const open = () => worker.fetch(`/api/acceptances/${recordId}/receipt?key=legacy-key-0123456789`);
    // Between the deploy and the first cron run the old link still works.
    let response = await open();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"legacy":true}');

    await worker.scheduled();
    expect(await everythingStored(worker)).not.toContain('legacy-key-0123456789');
    const row = await worker.db.prepare('SELECT receipt_key_sha256 FROM acceptances WHERE record_id = ?').bind(recordId).first<{ receipt_key_sha256: string }>();
    expect(row!.receipt_key_sha256).toBe(sha256('legacy-key-0123456789'));
    response = await open();
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    // Still append-only: the hash is filled in once, nothing else changes, nothing goes.
    await expect(worker.db.prepare("UPDATE acceptances SET company_name = 'x'").run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare(`UPDATE acceptances SET receipt_key_sha256 = '${'4'.repeat(64)}'`).run()).rejects.toThrow(/append-only/);
    await expect(worker.db.prepare('DELETE FROM acceptances').run()).rejects.toThrow(/append-only/);
  });
});
