import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { binScript, root, runBin, toolEnv, type RunOptions } from './run.ts';

/** Where `npm start` keeps local D1 (wrangler's own default, next to wrangler.toml). */
export const LOCAL_STATE_DIR = path.join(root, '.wrangler/state');

/**
 * `wrangler d1 migrations apply DB --local`: with no TTY on stdin wrangler takes the default
 * "yes" for its confirmation prompt, so this never waits for input. The source wrangler.toml is
 * named explicitly: without --config wrangler follows `.wrangler/deploy/config.json`, which
 * points at whichever dist was built last (a test build, say).
 */
export async function applyLocalMigrations(persistTo = LOCAL_STATE_DIR, { config, ...options }: RunOptions & { config?: string } = {}): Promise<void> {
  const configPath = config ?? path.join(root, 'wrangler.toml');
  await runBin('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--config', configPath, '--persist-to', persistTo], options);
}

export interface DevServerOptions {
  ip: string;
  port: number;
  /** Devtools port; pass a free one when another `wrangler dev` may hold the default 9229. */
  inspectorPort?: number;
  /** Local D1 state; defaults to LOCAL_STATE_DIR. */
  persistTo?: string;
  /** The build to serve (its `server/wrangler.json`); defaults to `dist`. */
  distDir?: string;
  /** A wrangler config to run instead of a build (the benchmark's bare D1 Worker). */
  config?: string;
  /** `--env-file`s with vars and secrets (tests and the bench pass generated ones). */
  envFiles?: string[];
  /** `--var NAME:value` pairs, e.g. raised rate limits for the benchmark. */
  vars?: Record<string, string>;
  /**
   * `npm start`: wrangler shares the terminal (its output, hotkeys and Ctrl+C). Otherwise (tests)
   * its output is kept for error messages and it runs in its own process group, so stop() can
   * end workerd along with it.
   */
  interactive?: boolean;
}

export interface DevServer {
  url: string;
  /** Its DevTools inspector port, when one was asked for (CPU profiles). */
  inspectorPort?: number;
  child: ChildProcess;
  /** Stops wrangler and its workerd; resolves once they are gone. */
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` on the BUILT Worker (`dist/server`, what `wrangler deploy` uploads) and
 * resolves once
 * `/api/health` answers 200, i.e. the site, the API and local D1 are all up.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  // The generated config of the build we mean, not the `.wrangler/deploy` redirect, which
  // follows whatever was built last.
  const config = options.config ?? path.join(path.resolve(root, options.distDir ?? 'dist'), 'server/wrangler.json');
  const args = ['dev', '--config', config, '--persist-to', options.persistTo ?? LOCAL_STATE_DIR, '--ip', options.ip, '--port', String(options.port)];
  for (const file of options.envFiles ?? []) args.push('--env-file', file);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}:${value}`);
  if (!options.interactive) args.push('--show-interactive-dev-session=false');
  if (options.inspectorPort) args.push('--inspector-port', String(options.inspectorPort));
  const child = spawn(process.execPath, [binScript('wrangler'), ...args], {
    cwd: root,
    // Tests and the bench get a private dev registry: through the shared one, another
    // `wrangler dev` of this project (npm start, a parallel run) would consume their queue
    // messages against its own D1.
    env: options.interactive ? toolEnv() : toolEnv({ WRANGLER_REGISTRY_PATH: path.join(options.persistTo ?? LOCAL_STATE_DIR, 'dev-registry') }),
    detached: !options.interactive,
    stdio: options.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal(child, !options.interactive, 'SIGTERM');
    const timer = setTimeout(() => signal(child, !options.interactive, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://${options.ip}:${options.port}`;
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- wrangler output ---\n${output}`);
  }
  return { url, child, stop, ...(options.inspectorPort !== undefined && { inspectorPort: options.inspectorPort }) };
}

/** The whole group when we made one (it holds only wrangler and its workerd), else wrangler. */
function signal(child: ChildProcess, group: boolean, name: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(group ? -child.pid : child.pid, name);
  } catch {
    // Already gone.
  }
}

/** Polls GET /api/health until it answers 200; fails when wrangler exits or after the timeout. */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (${child.signalCode ?? `code ${child.exitCode}`}) before ${url} was up`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs / 1000}s`);
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
  return address.port;
}
