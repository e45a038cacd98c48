import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The bytes cached under `key` in `cacheDir`, or, when there are none, what `render` makes of
 * it, stored there for the next build. The key must be a hash over everything that decides the
 * bytes: then a file found under it is exactly what rendering would give, and a changed input
 * is a different key, never stale output.
 */
export async function cachedRender(cacheDir: string, key: string, extension: string, render: () => Promise<Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>> {
  const file = cachedFile(cacheDir, key, extension);
  const cached = await readFile(file).catch(() => null);
  if (cached) {
    await markUsed(file);
    return new Uint8Array(cached);
  }
  const bytes = await render();
  await writeAtomically(file, bytes);
  return bytes;
}

/**
 * Sets a cache file's modification time to now: a build that reads a file marks it as used, so
 * the files every build still needs never age out (src/lib/build-cache-prune.ts). A file
 * removed meanwhile by another build's prune is no error: its bytes were already read.
 */
async function markUsed(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => {});
}

/** Where `cachedRender` keeps the bytes of `key`. */
export function cachedFile(cacheDir: string, key: string, extension: string): string {
  return path.join(cacheDir, `${key}.${extension}`);
}

/** Write then rename: a build killed mid-write, or two builds at once, never leave half a file. */
export async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await removeStalePartials(path.dirname(file));
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(partial, data);
  await rename(partial, file);
}

/** `<file>.<pid>.<random>.tmp`, as writeAtomically names its partial files. */
const PARTIAL = /\.(\d+)\.[0-9a-z]*\.tmp$/;

/** Whether `name` is a partial file of writeAtomically (removeStalePartials decides about those). */
export function isPartialFile(name: string): boolean {
  return PARTIAL.test(name);
}

const sweeps = new Map<string, Promise<void>>();

/**
 * Removes the partial files in `dir` that a killed build left: those of processes no longer
 * running. Never those of a running process, this one included: another build sharing the
 * cache, or this build's own worker threads (one pid), may be writing them right now. A reused
 * pid only keeps a dead build's partial a while longer, it never removes a live one. Once per
 * directory and process: later partials of a dead process cannot appear.
 */
export function removeStalePartials(dir: string): Promise<void> {
  let sweep = sweeps.get(dir);
  if (!sweep) {
    sweep = (async () => {
      const names = await readdir(dir).catch(() => [] as string[]);
      const stale = names.filter((name) => {
        const pid = PARTIAL.exec(name)?.[1];
        return pid !== undefined && !isRunning(Number(pid));
      });
      await Promise.all(stale.map((name) => rm(path.join(dir, name), { force: true })));
    })();
    sweeps.set(dir, sweep);
  }
  return sweep;
}

/** Whether a process with this id runs (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `name@version` of the installed package, for cache keys: an upgrade may render other bytes.
 * Read from the package.json above its entry point, since not every package exports that file.
 */
export function packageVersion(name: string): string {
  const entry = require.resolve(name);
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === name && manifest.version) return `${name}@${manifest.version}`;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${entry}`);
  }
}

function readManifest(file: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}

const fingerprints = new Map<string, Promise<string>>();

/**
 * SHA-256 over the project's own code (every `.ts` file under `src/`, by path and content) and
 * package-lock.json, computed once per build. A renderer's output depends on more of the code
 * than its own file (labels, date formats, country names) and on every dependency version; a
 * key including this fingerprint misses the cache after any code change or upgrade, so a
 * cached file can never be one an older renderer made. Builds run from the project root.
 */
export function sourceFingerprint(root: string = process.cwd()): Promise<string> {
  let fingerprint = fingerprints.get(root);
  if (fingerprint) return fingerprint;
  fingerprint = (async () => {
    const files = (await readdir(path.join(root, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts')).sort();
    const hash = createHash('sha256');
    for (const file of files) hash.update(`${file}\0`).update(await readFile(path.join(root, 'src', file))).update('\0');
    hash.update('package-lock.json\0').update(await readFile(path.join(root, 'package-lock.json')));
    return hash.digest('hex');
  })();
  fingerprints.set(root, fingerprint);
  return fingerprint;
}

/** At most `concurrency` of the given tasks run at a time, in call order. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
