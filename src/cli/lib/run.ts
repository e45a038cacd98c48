import { spawn, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The repository root (this file is src/cli/lib/run.ts). */
export const root = path.resolve(import.meta.dirname, '../../..');

/** Environment for every tool we start: no telemetry, no Cloudflare network calls. */
export function toolEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    WRANGLER_SEND_METRICS: 'false',
    // Miniflare would otherwise fetch a sample `request.cf` object from workers.cloudflare.com.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    ...extra,
  };
}

/**
 * Path of a dependency's CLI script. We run it with `process.execPath` instead of through its
 * `#!/usr/bin/env node` shebang, so it gets the pinned Node even when PATH has an older one.
 */
export function binScript(pkg: string, bin = pkg): string {
  const require = createRequire(path.join(root, 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!relative) throw new Error(`${pkg} has no "${bin}" executable`);
  return path.join(path.dirname(manifestPath), relative);
}

export interface RunOptions extends SpawnOptions {
  /** Keep the tool's output to ourselves and show it only if it fails (tests). */
  quiet?: boolean;
  /** Options for Node itself, before the script (the benchmark's resource probe: peak memory and CPU time). */
  nodeArgs?: string[];
}

/** Runs a dependency's CLI with the pinned Node; rejects with the exit code on failure. */
export function runBin(pkg: string, args: string[], options: RunOptions = {}): Promise<void> {
  return runScript(binScript(pkg), args, options, pkg);
}

/** Runs a Node script with the pinned Node; rejects with the exit code on failure. */
export function runScript(script: string, args: string[], { quiet, nodeArgs = [], ...options }: RunOptions = {}, name = script): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      cwd: root,
      // No stdin: wrangler then takes the default answer to prompts instead of waiting.
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
      env: toolEnv(),
      ...options,
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const status = signal ?? `exit ${code}`;
      reject(new Error(`${name} ${args.join(' ')} failed (${status})${quiet ? `\n${output}` : ''}`));
    });
  });
}
