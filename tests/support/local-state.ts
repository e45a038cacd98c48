import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import type { D1Database, R2Bucket } from '@cloudflare/workers-types';
import { ManifestSchema, type Manifest } from '../../src/domain/manifest.ts';
import type { DevSecrets } from '../../src/cli/lib/dev-secrets.ts';
import type { WorkerHandle } from '../setup/worker-harness.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The D1 database and witness bucket `wrangler dev --persist-to <persistTo>` will use, opened
 * before it starts (never while it runs), as a WorkerHandle for the support helpers that write
 * rows no request can create. Same bindings as wrangler.toml: D1 by its database_id, R2 by name.
 */
export async function withLocalState<T>(persistTo: string, secrets: DevSecrets, use: (state: Pick<WorkerHandle, 'db' | 'witness' | 'secrets'>, manifest: Manifest) => Promise<T>): Promise<T> {
  const mf = new Miniflare({
    resourcePersistencePath: path.join(persistTo, 'v3'),
    enableDevRegistry: false,
    cf: false,
    telemetry: { enabled: false },
    workers: [
      {
        config: {
          name: 'local-state',
          compatibilityDate: '2026-11-01',
          manifest: { mainModule: 'index.mjs', modules: { 'index.mjs': { type: 'esm', contents: 'export default { fetch() { return new Response(null, { status: 204 }); } };' } } },
          env: { DB: { type: 'd1', id: '00000000-0000-0000-0000-000000000000' }, LEDGER_WITNESS: { type: 'r2', name: 'trust-center-ledger-witness' } } as never,
        },
      },
    ],
  } as never);
  try {
    const db = (await mf.getD1Database('DB')) as unknown as D1Database;
    const witness = (await mf.getR2Bucket('LEDGER_WITNESS')) as unknown as R2Bucket;
    const manifest = ManifestSchema.parse(JSON.parse(await readFile(path.join(root, 'dist/client/manifest.json'), 'utf8')));
    return await use({ db, witness, secrets }, manifest);
  } finally {
    await mf.dispose();
  }
}
