import { afterEach, describe, expect, it } from 'vitest';
import { DEV_RECEIPT_SIGNING_KEY } from '../src/cli/lib/dev-receipt-key.ts';
import { generateDevSecrets } from '../src/cli/lib/dev-secrets.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { count, manifestOf, postJson, validSubmission } from './support/acceptance.ts';

/* The Worker signs only with a key its publication (content/receipt-keys/) allows today. */
const started: WorkerHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

async function withDevKey(environment: string): Promise<WorkerHandle> {
  const worker = await startWorker({ secrets: { ...(await generateDevSecrets()), RECEIPT_SIGNING_KEY: DEV_RECEIPT_SIGNING_KEY }, vars: { ENVIRONMENT: environment } });
  started.push(worker);
  return worker;
}

describe('the published local-development key', { timeout: 120_000 }, () => {
  it('signs under npm start (ENVIRONMENT=development), and the key list knows it', async () => {
    const worker = await withDevKey('development');
    const response = await postJson(worker, validSubmission(await manifestOf(worker)));
    expect(response.status).toBe(201);
    await response.arrayBuffer();
    const list = (await (await worker.fetch('/.well-known/trust-center/receipt-keys.json')).json()) as { archived: boolean; keys: Array<{ active: boolean; localDevelopment?: boolean }> };
    expect(list.archived).toBe(true);
    expect(list.keys.filter((key) => key.active)).toMatchObject([{ localDevelopment: true }]);
  });

  it('is refused anywhere else: 503 problem+json, nothing stored', async () => {
    const worker = await withDevKey('production');
    const response = await postJson(worker, validSubmission(await manifestOf(worker)));
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; detail: string };
    expect(problem.type).toBe('urn:trust-center:problem:signing-key-not-valid');
    expect(problem.detail).toContain('local-development key');
    expect(await count(worker, 'acceptances')).toBe(0);
  });
});
