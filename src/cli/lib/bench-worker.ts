import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devSecretsEnvFile, generateDevSecrets, type DevSecrets } from './dev-secrets.ts';
import { root, runBin } from './run.ts';
import { applyLocalMigrations, freePort, startDevServer, type DevServer } from './wrangler.ts';

/**
 * Local D1 state lives in memory (tmpfs) where there is one: on a VM disk every commit waits
 * for fsync and a benchmark would measure the disk (≈45 inserts/s here), not the code path.
 */
export const STATE_BASE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export interface BenchWorkerOptions {
  /** Name part of the temp folder, e.g. "acceptances". */
  name: string;
  /** Another Worker's wrangler config (the bare D1 baseline); default: the built trust center. */
  config?: string;
  /** `--var`s for the trust center Worker (raised limits, mail sink). */
  vars?: Record<string, string>;
  /** SQL run on the migrated D1 before the Worker starts (seed data). */
  seedSql?: string;
}

/**
 * Runs `use` against a Worker under `wrangler dev` with its own migrated temp D1 and fresh
 * throwaway secrets, and always stops it and removes its state afterwards.
 */
export async function withBenchWorker<T>(options: BenchWorkerOptions, use: (server: DevServer, secrets: DevSecrets) => Promise<T>): Promise<T> {
  const work = await mkdtemp(path.join(STATE_BASE, `trust-center-bench-${options.name}-`));
  try {
    const persistTo = path.join(work, 'state');
    const config = options.config ?? path.join(root, 'wrangler.toml');
    await applyLocalMigrations(persistTo, { quiet: true, config });
    if (options.seedSql) {
      const seed = path.join(work, 'seed.sql');
      await writeFile(seed, options.seedSql);
      await runBin('wrangler', ['d1', 'execute', 'DB', '--local', '--config', config, '--persist-to', persistTo, '--file', seed, '--yes'], { quiet: true });
    }
    const secrets = await generateDevSecrets();
    const envFile = path.join(work, 'worker.env');
    await writeFile(envFile, devSecretsEnvFile(secrets), { mode: 0o600 });
    const server = await startDevServer({
      ip: '127.0.0.1',
      port: await freePort(),
      inspectorPort: await freePort(),
      persistTo,
      ...(options.config ? { config: options.config } : { envFiles: [envFile], vars: options.vars ?? {} }),
    });
    try {
      return await use(server, secrets);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
