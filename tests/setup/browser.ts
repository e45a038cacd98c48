import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { devSecretsEnvFile, generateDevSecrets, type DevSecrets } from '../../src/cli/lib/dev-secrets.ts';
import { applyLocalMigrations, freePort, startDevServer } from '../../src/cli/lib/wrangler.ts';

/** Debian's Chromium: nothing here may download a browser. CHROMIUM_PATH overrides it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless in a container as root, and no calls home (updates, sync, field trials). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Site {
  /** Origin of the running site, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  browser: Browser;
  /** The throwaway ADMIN_TOKEN this Worker was started with. */
  adminToken: string;
  close(): Promise<void>;
}

export interface SiteOptions {
  /** Extra `--var`s, e.g. ACCEPTANCE_RATE_LIMIT_PER_IP. */
  vars?: Record<string, string>;
  /** Another build's output folder (its `server/wrangler.json`) instead of dist/. */
  distDir?: string;
  /** Secrets to use instead of fresh ones, e.g. the local-development receipt key. */
  secrets?: Partial<DevSecrets>;
  /**
   * Runs after the migrations and before `wrangler dev` starts, on the state it will use
   * (`persistTo`, as `--persist-to`), e.g. to seed rows no request can create.
   */
  beforeStart?: (state: { persistTo: string; secrets: DevSecrets }) => Promise<void>;
}

/**
 * The built site as `npm start` serves it: `wrangler dev` on a free port with its own
 * migrated D1 in a temp dir (the developer's .wrangler/state is not touched) and freshly
 * generated secrets (signing key, admin token) instead of .dev.vars, plus Chromium.
 */
export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const persistTo = await mkdtemp(path.join(tmpdir(), 'trust-center-e2e-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(persistTo, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    await applyLocalMigrations(persistTo, { quiet: true });
    const secrets = { ...(await generateDevSecrets()), ...options.secrets };
    await options.beforeStart?.({ persistTo, secrets });
    const envFile = path.join(persistTo, 'worker.env');
    await writeFile(envFile, devSecretsEnvFile(secrets), { mode: 0o600 });
    const server = await startDevServer({
      envFiles: [envFile],
      vars: options.vars ?? {},
      ...(options.distDir && { distDir: options.distDir }),
      ip: '127.0.0.1',
      port: await freePort(),
      inspectorPort: await freePort(),
      persistTo,
    });
    cleanups.push(() => server.stop());
    // Playwright gives every launch a fresh temporary profile (user-data-dir).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    return { url: server.url, browser, adminToken: secrets.ADMIN_TOKEN, close };
  } catch (error) {
    await close();
    throw error;
  }
}
