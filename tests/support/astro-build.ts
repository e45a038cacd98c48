import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface BuildResult {
  exitCode: number;
  output: string;
  outDir: string;
}

/**
 * A fresh folder inside the project (the build resolves packages from node_modules). The node
 * project's global setup (tests/setup/scratch-dir.ts) empties tests/.tmp before and after a run.
 */
export async function scratchDir(prefix: string): Promise<string> {
  await mkdir(join(root, 'tests/.tmp'), { recursive: true });
  const dir = await mkdtemp(join(root, 'tests/.tmp', `${prefix}-`));
  return dir;
}

/**
 * Runs the real `astro build` as a user would, with the build day fixed so statuses are
 * reproducible. Resolves with the exit code and everything it printed; never throws on failure
 * so tests can assert on the message.
 */
export function astroBuild(options: { outDir: string; contentDir?: string; buildDate?: string; env?: Record<string, string> }): Promise<BuildResult> {
  const env = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    TRUST_CENTER_BUILD_DATE: options.buildDate ?? '2026-11-23',
    ...(options.contentDir && { TRUST_CENTER_CONTENT_DIR: options.contentDir }),
    PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    ...options.env,
  };
  return oneBuildAtATime(() => new Promise((resolvePromise) => {
    const child = spawn('astro', ['build', '--outDir', options.outDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // Colours depend on the terminal (CI=true turns them on); assertions read the plain text.
    child.on('close', (code) => resolvePromise({ exitCode: code ?? 1, output: stripAnsi(output), outDir: options.outDir }));
  }));
}

/**
 * Runs one build at a time across the test workers. Astro writes `.astro/content-assets.mjs` in
 * the project root through one fixed temporary name, whatever the content or output folder, so
 * two builds at once can fail on its rename (ENOENT, seen in CI). The lock is a directory
 * (mkdir is atomic); the node project's setup empties tests/.tmp, so a killed run leaves none.
 */
async function oneBuildAtATime<T>(build: () => Promise<T>): Promise<T> {
  const lock = join(root, 'tests/.tmp/astro-build.lock');
  await mkdir(join(root, 'tests/.tmp'), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await sleep(100);
    }
  }
  try {
    return await build();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
