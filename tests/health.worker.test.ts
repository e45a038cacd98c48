import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useWorker } from './setup/worker-harness.ts';

describe('built Worker', () => {
  const worker = useWorker();

  it('reports healthy with the migrated schema', async () => {
    const response = await worker.fetch('/api/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { status: string; release: string; database: { status: string; migration: string | null; latencyMs: number } };
    const newest = (await readdir(path.join(import.meta.dirname, '../migrations'))).filter((file) => file.endsWith('.sql')).sort().at(-1);
    expect(body).toMatchObject({ status: 'ok', release: 'dev', database: { status: 'ok', migration: newest } });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers unknown API paths with problem+json 404, never HTML', async () => {
    const response = await worker.fetch('/api/x');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, instance: '/api/x' });
  });

  it('serves the home page as HTML', async () => {
    const response = await worker.fetch('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html[\s>]/i);
  });

  it('answers an unknown page with 404', async () => {
    const response = await worker.fetch('/this-page-does-not-exist');
    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });
});
