import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DataCategory } from '../schemas/data-category.ts';
import { INTER_FONT_FILES } from './inter-fonts.ts';
import { buildCacheDir } from './build-cache-dir.ts';
import { cachedRender, packageVersion, sourceFingerprint, writeAtomically } from './build-cache.ts';
import type { DocumentState } from './document-state.ts';
import { seedWordLayouts, wordLayoutCount, wordLayoutsSnapshot } from './pdf-word-layouts.ts';

const require = createRequire(import.meta.url);

let engine: Promise<string> | undefined;

/**
 * Hash of what decides how text is shaped and embedded: the fonts and the versions of pdfkit and
 * of fontkit, which shapes and subsets them. The word layouts depend on nothing else.
 */
function engineFingerprint(): Promise<string> {
  engine ??= (async () => {
    const hash = createHash('sha256');
    for (const pkg of ['pdfkit', 'fontkit']) hash.update(`${packageVersion(pkg)}\0`);
    for (const [name, file] of Object.entries(INTER_FONT_FILES)) hash.update(`${name}\0`).update(await readFile(require.resolve(file))).update('\0');
    return hash.digest('hex');
  })();
  return engine;
}

/**
 * Hash of everything besides the state and the labels that decides a PDF's bytes: the engine
 * and the project's code (the renderer, its labels and formats), computed once per build.
 */
async function rendererFingerprint(): Promise<string> {
  return createHash('sha256').update(await engineFingerprint()).update('\0').update(await sourceFingerprint()).digest('hex');
}

const seeded = new Map<string, Promise<void>>();

/**
 * The file of word layouts (src/lib/pdf-word-layouts.ts) an earlier build left for this engine.
 * The cache prune keeps it even when no PDF was rendered: a fully cached build never reads it,
 * but the next edit needs it.
 */
export async function wordLayoutsFile(cacheDir: string): Promise<string> {
  return path.join(cacheDir, `${await engineFingerprint()}.word-layouts.json`);
}

/** Seeds the word layouts from the cache once per build, before the first render. */
function seedFromCache(cacheDir: string): Promise<void> {
  let done = seeded.get(cacheDir);
  if (!done) {
    done = (async () => {
      const snapshot = await readFile(await wordLayoutsFile(cacheDir), 'utf8').catch(() => null);
      if (snapshot) seedWordLayouts(snapshot);
    })();
    seeded.set(cacheDir, done);
  }
  return done;
}

/**
 * Where the build keeps the AVV PDFs and their word layouts: beneath Astro's cache folder of
 * this content folder (src/lib/build-cache-dir.ts), relative to the project root the build runs in.
 */
export function avvPdfCacheDir(): string {
  return path.resolve(buildCacheDir(), 'avv-pdfs');
}

/**
 * The cache key of a state's PDF: the SHA-256 of the renderer's fingerprint, the data-category
 * declarations that label it and the state's canonical JSON. The page and the build's
 * pre-render (src/integrations/avv-pdf-prerender.ts) both ask this function, so a file the
 * pre-render left is the one the page looks for.
 */
export async function avvPdfKey(state: DocumentState, dataCategories: readonly DataCategory[]): Promise<string> {
  return createHash('sha256')
    .update(await rendererFingerprint())
    .update('\0')
    .update(JSON.stringify(dataCategories))
    .update('\0')
    .update(state.canonical)
    .digest('hex');
}

const requested = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * The PDF of a document state (src/lib/avv-pdf.ts), kept in `cacheDir` under the SHA-256 of the
 * state's canonical JSON, the data-category declarations that label it and the renderer's
 * fingerprint. An archived state's PDF is the same file build after build; rendering it with
 * 1,000 subprocessors in Annex 2 takes seconds, copying it milliseconds. Any change to what
 * decides its bytes is a new key, so the cache never publishes text an input no longer says.
 * A state that does need rendering (a new one, or all of them after an edit to a subprocessor
 * they list) starts from the word layouts of the previous build, so only new words are shaped.
 * Asking twice within a build for the same file shares one render.
 */
export async function cachedAvvPdf(state: DocumentState, dataCategories: readonly DataCategory[], cacheDir: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await avvPdfKey(state, dataCategories);
  const file = `${cacheDir}\0${key}`;
  let pdf = requested.get(file);
  if (!pdf) {
    pdf = cachedRender(cacheDir, key, 'pdf', async () => {
      await seedFromCache(cacheDir);
      const known = wordLayoutCount();
      // Loaded on a cache miss only: a build whose PDFs are all cached never loads pdfkit and fontkit.
      const { renderAvvPdf } = await import('./avv-pdf.ts');
      const rendered = await renderAvvPdf(state, dataCategories);
      // Writing the layouts (MBs of JSON at 1,000 subprocessors) costs a few hundred ms, so only
      // a render that shaped a tenth more words than were known writes them; the few words the
      // other states add are shaped again next time, which changes no byte (only time).
      const shaped = wordLayoutCount() - known;
      if (shaped > 0 && shaped >= known / 10) await writeAtomically(await wordLayoutsFile(cacheDir), wordLayoutsSnapshot());
      return rendered;
    });
    requested.set(file, pdf);
  }
  return pdf;
}
