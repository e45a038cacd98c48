import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCacheDir } from '../src/lib/build-cache-dir.ts';
import { PRERENDER_ENV, type PrerenderMode } from '../src/lib/avv-pdf-prerender.ts';
import { astroBuild, scratchDir, type BuildResult } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');
const fixture = join(root, 'tests/fixtures/minimal-content');

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A cold build of a fresh copy of the fixture (its own cache folder) with the pre-render in `mode`. */
async function coldBuild(mode: PrerenderMode, edit?: (content: string) => Promise<void>): Promise<BuildResult & { content: string }> {
  const content = await scratchDir(`pdfs-${mode}`);
  await cp(fixture, content, { recursive: true });
  await edit?.(content);
  cleanup.push(resolve(root, buildCacheDir(content)));
  const result = await astroBuild({ outDir: await scratchDir(`pdfs-${mode}-dist`), contentDir: content, env: { [PRERENDER_ENV]: mode } });
  return { ...result, content };
}

/** The published PDFs of a build, by file name. */
async function pdfs(outDir: string): Promise<Map<string, Buffer>> {
  const dir = join(outDir, 'client/avv/documents');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.pdf')).sort();
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(join(dir, file))] as const)));
}

const summary = (result: BuildResult) => /AVV PDFs: (\d+) rendered and (\d+) found in the cache by the worker thread, (\d+) rendered on the build thread/.exec(result.output)?.slice(1).map(Number);
const fallbacks = (result: BuildResult) => result.output.split('\n').filter((line) => line.includes('[avv-pdf]'));

describe('the AVV PDFs rendered ahead on a worker thread', { timeout: 300_000 }, () => {
  it('publish the same bytes as PDFs rendered on the build thread, and a failing worker falls back to the build thread', async () => {
    const onBuildThread = await coldBuild('off');
    expect(onBuildThread.exitCode, onBuildThread.output).toBe(0);
    const expected = await pdfs(onBuildThread.outDir);
    expect(expected.size).toBeGreaterThan(1);
    // No worker at all: each PDF says why it rendered on the build thread, and no summary line.
    expect(fallbacks(onBuildThread)).toHaveLength(expected.size);
    expect(fallbacks(onBuildThread).every((line) => line.includes(`no pre-render is running (astro dev, or ${PRERENDER_ENV}=off)`))).toBe(true);
    expect(summary(onBuildThread)).toBeUndefined();

    const ahead = await coldBuild('worker');
    expect(ahead.exitCode, ahead.output).toBe(0);
    // Every PDF came from the worker: none was rendered again on the build thread.
    expect(summary(ahead)).toEqual([expected.size, 0, 0]);
    expect(fallbacks(ahead)).toEqual([]);
    expect(await pdfs(ahead.outDir)).toEqual(expected);

    const failing = await coldBuild('fail');
    expect(failing.exitCode, failing.output).toBe(0);
    expect(summary(failing)).toEqual([0, 0, expected.size]);
    expect(fallbacks(failing)).toHaveLength(expected.size);
    expect(fallbacks(failing).every((line) => line.includes(`the worker failed: failing on purpose (${PRERENDER_ENV}=fail)`))).toBe(true);
    expect(await pdfs(failing.outDir)).toEqual(expected);
  });

  it('leaves a content error to the content check: its report, no word from the worker, and the build ends', async () => {
    // A cross-file problem: every file passes its schema, so the worker is rendering when the check fails.
    const broken = await coldBuild('worker', async (content) => {
      const file = join(content, 'changes/2026-11-support-neu.md');
      await writeFile(file, (await readFile(file, 'utf8')).replace('subprocessors: [support-neu]', 'subprocessors: [support-neu, gibt-es-nicht]'));
    });
    expect(broken.exitCode).not.toBe(0);
    expect(broken.output).toContain(`${relative(root, join(broken.content, 'changes/2026-11-support-neu.md'))} › subprocessors[1]: unknown subprocessor "gibt-es-nicht"`);
    expect(broken.output).not.toMatch(/\[avv-pdf\]|avv-pdf-prerender|worker_threads/);
  });

  it('refuses an unknown mode by name', async () => {
    const content = await scratchDir('prerender-bad-mode');
    await cp(fixture, content, { recursive: true });
    cleanup.push(resolve(root, buildCacheDir(content)));
    const result = await astroBuild({ outDir: await scratchDir('prerender-bad-mode-dist'), contentDir: content, env: { [PRERENDER_ENV]: 'threads' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`${PRERENDER_ENV} must be one of worker, off, fail (unset means worker), got "threads"`);
  });
});
