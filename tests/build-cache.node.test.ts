import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCacheDir } from '../src/lib/build-cache-dir.ts';
import { astroBuild, scratchDir } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');
const fixture = join(root, 'tests/fixtures/minimal-content');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * File → inode and size: the cache writes only by rename (writeAtomically), so a file the build
 * rendered again gets a new inode. Not the mtime: a build sets it on every file it reads (`markUsed`).
 */
async function identities(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    const info = await stat(join(dir, file));
    result[file] = `${info.ino}:${info.size}`;
  }
  return result;
}

/** The files in `dir` whose mtime is before `since`: those no build marked as used since. */
async function unusedSince(dir: string, files: string[], since: number): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) if ((await stat(join(dir, file))).mtimeMs < since) stale.push(file);
  return stale;
}

/**
 * Astro draws a fresh key per build for encrypting server-island props (no ASTRO_KEY set) and
 * writes it into the server bundle: two cold builds differ there too, so only that is masked.
 */
function withoutAstroKey(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/"key":"[A-Za-z0-9+/=]{44}"/g, '"key":"…"');
}

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('build caches', { timeout: 240_000 }, () => {
  it('a build from warm caches writes the same bytes as a cold build, reusing every social card and AVV PDF', async () => {
    // A content folder of its own has a cache folder of its own, so the first build is cold.
    const content = await scratchDir('cache-content');
    await cp(fixture, content, { recursive: true });
    const cacheDir = resolve(root, buildCacheDir(content));
    cleanup.push(cacheDir);
    const cards = join(cacheDir, 'social-cards');
    const pdfs = join(cacheDir, 'avv-pdfs');

    // Both builds write to the same folder (the server bundle names it); the cold output is set aside first.
    const outDir = await scratchDir('cache-dist');
    const cold = await astroBuild({ outDir, contentDir: content });
    expect(cold.exitCode, cold.output).toBe(0);
    const coldCopy = await scratchDir('cache-cold');
    await cp(outDir, coldCopy, { recursive: true });
    const cached = await identities(cards);
    const published = (await listFiles(join(outDir, 'client/og'))).filter((file) => file.endsWith('.png'));
    expect(published.length).toBeGreaterThan(10);
    // Pages with the same card text share one cached render.
    expect(Object.keys(cached).length).toBeGreaterThan(0);
    expect(Object.keys(cached).length).toBeLessThanOrEqual(published.length);
    // One cached file per archived state's PDF, each the bytes the cold build published.
    const cachedPdfs = Object.fromEntries(Object.entries(await identities(pdfs)).filter(([file]) => file.endsWith('.pdf')));
    const publishedPdfs = (await listFiles(join(outDir, 'client/avv/documents'))).filter((file) => file.endsWith('.pdf'));
    expect(publishedPdfs.length).toBeGreaterThan(1);
    const digests = async (dir: string, files: string[]) => (await Promise.all(files.map(async (file) => createHash('sha256').update(await readFile(join(dir, file))).digest('hex')))).sort();
    expect(await digests(pdfs, Object.keys(cachedPdfs))).toEqual(await digests(join(outDir, 'client/avv/documents'), publishedPdfs));

    const warmStarted = Date.now();
    const warm = await astroBuild({ outDir, contentDir: content });
    expect(warm.exitCode, warm.output).toBe(0);
    // Nothing was rendered again: every cached card is the same file, and no new one appeared.
    expect(await identities(cards)).toEqual(cached);
    expect(Object.fromEntries(Object.entries(await identities(pdfs)).filter(([file]) => file.endsWith('.pdf')))).toEqual(cachedPdfs);
    // Every file the warm build read is marked as used, so the cache prune keeps it.
    expect(await unusedSince(cards, Object.keys(cached), warmStarted)).toEqual([]);
    expect(await unusedSince(pdfs, Object.keys(cachedPdfs), warmStarted)).toEqual([]);

    const files = await listFiles(coldCopy);
    expect(await listFiles(outDir)).toEqual(files);
    const differing: string[] = [];
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(join(coldCopy, file)), readFile(join(outDir, file))]);
      if (!a.equals(b) && !(file.startsWith('server/') && withoutAstroKey(a) === withoutAstroKey(b))) differing.push(file);
    }
    expect(differing).toEqual([]);
  });
});
