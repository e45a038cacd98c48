import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root, runBin, toolEnv } from './lib/run.ts';

/** The date tests build with, so "deadline passed / running" on pages never depends on today. */
export const TEST_BUILD_DATE = '2026-11-23';

export interface BuildOptions {
  /** TRUST_CENTER_BUILD_DATE; unset means the content code uses today. */
  buildDate?: string;
  /** TRUST_CENTER_CONTENT_DIR; unset means `./content`. */
  contentDir?: string;
  /** Astro's --outDir; unset means `dist`. */
  outDir?: string;
  /** Skip the build when the stamp in outDir says it was built from the same inputs. */
  ifStale?: boolean;
  /** Drop astro's content cache first (cold build; the benchmark wants that). */
  force?: boolean;
  /** Options for the Node process that runs astro (the benchmark's resource probe: peak memory and CPU time). */
  nodeArgs?: string[];
  /**
   * Node's compile cache for the astro process (NODE_COMPILE_CACHE): unset means
   * NODE_COMPILE_CACHE from the environment, else COMPILE_CACHE_DIR. The benchmark gives its
   * cold build a fresh, empty folder.
   */
  compileCacheDir?: string;
}

/**
 * V8's compiled code of the modules a build loads, kept across builds (Node's compile cache).
 * Loading the Cloudflare adapter alone compiles some 25 MB of JavaScript (wrangler, Miniflare,
 * the Vite plugin) before Astro reads a single page; from this cache it costs about a second of
 * CPU less per build. Node keys each entry by the module's source and its own version and
 * recompiles on any difference, so the cache changes no byte of the output; node_modules/ goes
 * with the installed dependencies, so a fresh install starts a fresh cache.
 */
export const COMPILE_CACHE_DIR = 'node_modules/.cache/node-compile-cache';

/** Written last, so a build that failed or was interrupted never counts as fresh. */
const STAMP = '.build-inputs.json';

/** Paths (from the repository root) that cannot change what `astro build` produces. */
const NOT_INPUTS = new Set(['node_modules', 'dist', '.bench', '.astro', '.wrangler', '.git', '.ci', '.github', '.vscode', '.idea', 'tests', 'src/cli']);

/** Builds the site; resolves to false when `ifStale` found the existing build fresh. */
export async function buildSite(options: BuildOptions = {}): Promise<boolean> {
  const outDir = path.resolve(root, options.outDir ?? 'dist');
  const stampPath = path.join(outDir, STAMP);
  const inputs = await inputsHash(options);
  if (options.ifStale) {
    const stamp = await readFile(stampPath, 'utf8').catch(() => '');
    if (stamp.includes(inputs)) {
      console.log(`[build] ${path.relative(root, outDir) || outDir} is up to date (${describe(options)})`);
      return false;
    }
  }
  await rm(stampPath, { force: true });
  console.log(`[build] astro build (${describe(options)})`);
  const args = ['build', ...(options.outDir ? ['--outDir', outDir] : []), ...(options.force ? ['--force'] : [])];
  const env: Record<string, string | undefined> = {};
  if (options.buildDate) env.TRUST_CENTER_BUILD_DATE = options.buildDate;
  if (options.contentDir) env.TRUST_CENTER_CONTENT_DIR = path.resolve(root, options.contentDir);
  env.NODE_COMPILE_CACHE = path.resolve(root, options.compileCacheDir ?? process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE_DIR);
  await runBin('astro', args, { env: toolEnv(env), ...(options.nodeArgs && { nodeArgs: options.nodeArgs }) });
  await writeFile(stampPath, `${JSON.stringify({ inputs, buildDate: options.buildDate ?? 'today', contentDir: options.contentDir }, null, 2)}\n`);
  return true;
}

function describe(options: BuildOptions): string {
  return [`build date ${options.buildDate ?? 'today'}`, options.contentDir && `content ${options.contentDir}`].filter(Boolean).join(', ');
}

/**
 * Hash of everything the build reads: sources, content, config, lockfile (so dependency
 * upgrades count) and the TRUST_CENTER_* environment. Content, not mtimes: a fresh clone or a
 * checkout of the same commit stays fresh.
 */
async function inputsHash(options: BuildOptions): Promise<string> {
  const hash = createHash('sha256');
  const contentDir = path.resolve(root, options.contentDir ?? process.env.TRUST_CENTER_CONTENT_DIR ?? 'content');
  const env = Object.entries(process.env).filter(([key]) => key.startsWith('TRUST_CENTER_')).sort();
  hash.update(
    JSON.stringify({
      node: process.version,
      buildDate: options.buildDate ?? `today ${new Date().toISOString().slice(0, 10)}`,
      contentDir,
      outDir: options.outDir ?? null,
      env,
    }),
  );
  const dirs = [root];
  if (path.relative(root, contentDir).startsWith('..')) dirs.push(contentDir);
  for (const dir of dirs) {
    for (const file of await listFiles(dir, dir === root)) {
      hash.update(`${path.relative(dir, file)}\0`).update(await readFile(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Files under dir, sorted; at the repository root, without NOT_INPUTS, *.md and *.log. */
async function listFiles(dir: string, atRoot: boolean, relative = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
    const name = relative ? `${relative}/${entry.name}` : entry.name;
    if (atRoot && (NOT_INPUTS.has(name) || (!relative && /\.(md|log)$/.test(name)))) continue;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, atRoot, name)));
    else if (entry.isFile()) files.push(path.join(dir, name));
  }
  return files.sort();
}

// `node src/cli/build.ts [--if-stale] [--build-date YYYY-MM-DD] [--content-dir DIR] [--out-dir DIR]`
if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      'if-stale': { type: 'boolean' },
      'build-date': { type: 'string' },
      'content-dir': { type: 'string' },
      'out-dir': { type: 'string' },
    },
  });
  try {
    await buildSite({
      ifStale: values['if-stale'],
      buildDate: values['build-date'] ?? process.env.TRUST_CENTER_BUILD_DATE,
      contentDir: values['content-dir'],
      outDir: values['out-dir'],
    });
  } catch (error) {
    // Astro has printed the reason (file, field, message) above; a stack trace would bury it.
    console.error(`\n[build] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
