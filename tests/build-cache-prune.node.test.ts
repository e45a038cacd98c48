import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AstroIntegrationLogger } from 'astro';
import { buildCachePrune } from '../src/integrations/build-cache-prune.ts';
import { avvPdfCacheDir, wordLayoutsFile } from '../src/lib/avv-pdf-cache.ts';
import { buildCacheDir } from '../src/lib/build-cache-dir.ts';
import { BUILD_CACHE_MAX_AGE_DAYS, pruneBuildCache } from '../src/lib/build-cache-prune.ts';
import { cachedRender } from '../src/lib/build-cache.ts';
import { socialCardCacheDir } from '../src/lib/social-card.ts';

/*
 * The build cache keeps what builds use and drops what none used for two weeks: every read
 * marks a file as used, the prune after a build removes the rest, never the current word
 * layouts nor a partial file another build is writing.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const dirs: string[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'build-cache-prune-'));
  dirs.push(dir);
  return dir;
}

/** Writes `name` in `dir`, last used `days` ago. */
async function cacheFile(dir: string, name: string, days: number, bytes = name): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const at = new Date(Date.now() - days * DAY_MS);
  await utimes(file, at, at);
  return file;
}

describe('pruneBuildCache', () => {
  it('removes files unused for longer than the limit and keeps the rest', async () => {
    const dir = await tempDir();
    await cacheFile(dir, 'old.pdf', 30, 'x'.repeat(100));
    await cacheFile(dir, 'empty-old.png', 30, '');
    await cacheFile(dir, 'recent.pdf', 3);
    const kept = await cacheFile(dir, 'layouts.word-layouts.json', 30);
    await cacheFile(dir, `partial.pdf.${process.pid}.ab12.tmp`, 30);
    await mkdir(join(dir, 'folder'));

    const result = await pruneBuildCache(dir, { maxAgeMs: 14 * DAY_MS, keep: new Set([kept]) });

    expect(result).toEqual({ files: 2, bytes: 100 });
    expect((await readdir(dir)).sort()).toEqual(['folder', 'layouts.word-layouts.json', 'partial.pdf.' + process.pid + '.ab12.tmp', 'recent.pdf'].sort());
  });

  it('treats a missing folder as empty', async () => {
    expect(await pruneBuildCache(join(await tempDir(), 'none'), { maxAgeMs: DAY_MS })).toEqual({ files: 0, bytes: 0 });
  });
});

describe('cachedRender', () => {
  it('marks a file it finds as used, without rendering it again', async () => {
    const dir = await tempDir();
    await cacheFile(dir, 'key.png', 30, 'cached bytes');
    const before = Date.now();
    const bytes = await cachedRender(dir, 'key', 'png', () => Promise.reject(new Error('rendered although cached')));
    expect(new TextDecoder().decode(bytes)).toBe('cached bytes');
    expect((await stat(join(dir, 'key.png'))).mtimeMs).toBeGreaterThanOrEqual(before);
    expect((await pruneBuildCache(dir, { maxAgeMs: 14 * DAY_MS })).files).toBe(0);
  });
});

describe('the build cache prune after a build', () => {
  it('removes PDFs and social cards unused for two weeks, keeps the current word layouts', async () => {
    // A content folder name of its own: the integration finds its cache folder from this variable.
    const content = await tempDir();
    vi.stubEnv('TRUST_CENTER_CONTENT_DIR', content);
    dirs.push(resolve(buildCacheDir()));
    const pdfs = avvPdfCacheDir();
    const cards = socialCardCacheDir();
    await mkdir(pdfs, { recursive: true });
    await mkdir(cards, { recursive: true });
    const layouts = await wordLayoutsFile(pdfs);
    await cacheFile(pdfs, layouts.slice(pdfs.length + 1), 60);
    await cacheFile(pdfs, 'other-engine.word-layouts.json', BUILD_CACHE_MAX_AGE_DAYS + 1);
    await cacheFile(pdfs, 'stale.pdf', BUILD_CACHE_MAX_AGE_DAYS + 1);
    await cacheFile(pdfs, 'current.pdf', 0);
    await cacheFile(cards, 'stale.png', BUILD_CACHE_MAX_AGE_DAYS + 1);
    await cacheFile(cards, 'current.png', BUILD_CACHE_MAX_AGE_DAYS - 1);
    const info = vi.fn();

    const hook = buildCachePrune().hooks['astro:build:done'];
    await hook?.({ logger: { info } as unknown as AstroIntegrationLogger } as Parameters<NonNullable<typeof hook>>[0]);

    expect((await readdir(pdfs)).sort()).toEqual(['current.pdf', layouts.slice(pdfs.length + 1)].sort());
    expect(await readdir(cards)).toEqual(['current.png']);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/^build cache: removed 3 file\(s\), .* that no build used for 14 days$/));
  });
});
