import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hashAcceptanceDocument } from '../src/domain/acceptance-document.ts';
import { renderAvvPdf } from '../src/lib/avv-pdf.ts';
import { cachedAvvPdf } from '../src/lib/avv-pdf-cache.ts';
import { sourceFingerprint } from '../src/lib/build-cache.ts';
import { scratchDir } from './support/astro-build.ts';
import { exampleCategories, exampleState } from './support/example-state.ts';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
/** The cached PDFs in a cache folder (it also keeps the word layouts there). */
const cachedPdfs = async (dir: string) => (await readdir(dir)).filter((file) => file.endsWith('.pdf'));

describe('the cache of AVV PDFs across builds', { timeout: 120_000 }, () => {
  it('gives the bytes a fresh render gives, renders each input once, and misses on any changed input', async () => {
    const cacheDir = await scratchDir('pdf-cache');
    const state = await exampleState();
    const categories = await exampleCategories();
    const rendered = await renderAvvPdf(state, categories);

    const first = await cachedAvvPdf(state, categories, cacheDir);
    expect(same(first, rendered)).toBe(true);
    const files = await cachedPdfs(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.pdf$/);
    // Asked again: the same bytes, nothing new stored.
    expect(same(await cachedAvvPdf(state, categories, cacheDir), rendered)).toBe(true);
    expect(await cachedPdfs(cacheDir)).toEqual(files);

    // A relabelled data category changes what Annex 2 says, so it is another key.
    const relabelled = categories.map((category, index) => (index === 0 ? { ...category, label: { ...category.label, de: `${category.label.de} (neu)` } } : category));
    const withLabel = await cachedAvvPdf(state, relabelled, cacheDir);
    expect(same(withLabel, await renderAvvPdf(state, relabelled))).toBe(true);
    expect(await cachedPdfs(cacheDir)).toHaveLength(2);

    // Another state (another day, so another canonical JSON and hash) is another key too.
    const document = { ...state.document, asOf: '2026-02-01' };
    const { canonical, sha256 } = await hashAcceptanceDocument(document);
    const other = await cachedAvvPdf({ sha256, canonical, document }, categories, cacheDir);
    expect(same(other, first)).toBe(false);
    expect(await cachedPdfs(cacheDir)).toHaveLength(3);
  });

  it('renders the same bytes from word layouts an earlier build left as from none, shaping no word again', async () => {
    const state = await exampleState();
    const categories = await exampleCategories();
    const cacheDir = await scratchDir('pdf-layouts');
    // Fresh modules: a build process that has shaped nothing yet.
    const build = async () => {
      vi.resetModules();
      return { cache: await import('../src/lib/avv-pdf-cache.ts'), layouts: await import('../src/lib/pdf-word-layouts.ts') };
    };
    const first = await build();
    expect(first.layouts.wordLayoutCount()).toBe(0);
    const fromNothing = await first.cache.cachedAvvPdf(state, categories, cacheDir);
    const shaped = first.layouts.wordLayoutCount();
    expect(shaped).toBeGreaterThan(100);
    const [layoutsFile, ...others] = (await readdir(cacheDir)).filter((file) => file.endsWith('.word-layouts.json'));
    expect(others).toEqual([]);

    // The next build must render the PDF again (here: its cached file is gone), from the layouts.
    await Promise.all((await cachedPdfs(cacheDir)).map((file) => rm(join(cacheDir, file))));
    const next = await build();
    const fromLayouts = await next.cache.cachedAvvPdf(state, categories, cacheDir);
    expect(same(fromLayouts, fromNothing)).toBe(true);
    expect(next.layouts.wordLayoutCount()).toBe(shaped);
    const snapshot = await readFile(join(cacheDir, layoutsFile!), 'utf8');

    // The seeded layouts are the ones the text is set with: a wrong one shows in the bytes.
    const tampered = JSON.parse(snapshot) as Record<string, Record<string, { positions: { xAdvance: number }[] }>>;
    for (const layout of Object.values(tampered.regular ?? {})) for (const position of layout.positions) position.xAdvance += 50;
    const wrong = await build();
    wrong.layouts.seedWordLayouts(JSON.stringify(tampered));
    expect(same(await wrong.cache.cachedAvvPdf(state, categories, await scratchDir('pdf-layouts')), fromNothing)).toBe(false);
  });
});

describe('the fingerprint of the project\'s code in PDF cache keys', () => {
  /** A project folder with the given sources under src/ and a lockfile. */
  async function project(files: Record<string, string>, lockfile = '{}'): Promise<string> {
    const root = await scratchDir('fingerprint');
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(root, 'src', file, '..'), { recursive: true });
      await writeFile(join(root, 'src', file), text);
    }
    await writeFile(join(root, 'package-lock.json'), lockfile);
    return root;
  }

  it('changes with any TypeScript file under src/ or the lockfile, and only with those', async () => {
    const base = { 'lib/avv-pdf.ts': 'export const a = 1;', 'i18n/ui.ts': 'export const label = "Seite";' };
    const fingerprint = await sourceFingerprint(await project(base));
    expect(await sourceFingerprint(await project(base))).toBe(fingerprint);
    expect(await sourceFingerprint(await project({ ...base, 'README.md': 'not code' }))).toBe(fingerprint);
    expect(await sourceFingerprint(await project({ ...base, 'i18n/ui.ts': 'export const label = "Blatt";' }))).not.toBe(fingerprint);
    expect(await sourceFingerprint(await project({ ...base, 'domain/new.ts': '' }))).not.toBe(fingerprint);
    expect(await sourceFingerprint(await project(base, '{"lockfileVersion":3}'))).not.toBe(fingerprint);
  });
});
