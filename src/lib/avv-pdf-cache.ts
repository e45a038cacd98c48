import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { DataCategory } from '../schemas/data-category.ts';
import { AVV_PDF_FONT_FILES, renderAvvPdf } from './avv-pdf.ts';
import { cachedRender, packageVersion, sourceFingerprint } from './build-cache.ts';
import type { DocumentState } from './document-state.ts';

const require = createRequire(import.meta.url);

let renderer: Promise<string> | undefined;

/**
 * Hash of everything besides the state and the labels that decides a PDF's bytes: the embedded
 * fonts, the versions of pdfkit and the font engine that shapes and subsets them, and the
 * project's code (the renderer, its labels and formats), computed once per build.
 */
function rendererFingerprint(): Promise<string> {
  renderer ??= (async () => {
    const hash = createHash('sha256');
    for (const pkg of ['pdfkit', 'fontkit']) hash.update(`${packageVersion(pkg)}\0`);
    for (const [name, file] of Object.entries(AVV_PDF_FONT_FILES)) hash.update(`${name}\0`).update(await readFile(require.resolve(file))).update('\0');
    hash.update(await sourceFingerprint());
    return hash.digest('hex');
  })();
  return renderer;
}

const requested = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * The PDF of a document state (src/lib/avv-pdf.ts), kept in `cacheDir` under the SHA-256 of the
 * state's canonical JSON, the data-category declarations that label it and the renderer's
 * fingerprint. An archived state's PDF is the same file build after build; rendering it with
 * 1,000 subprocessors in Annex 2 takes seconds, copying it milliseconds. Any change to what
 * decides its bytes is a new key, so the cache never publishes text an input no longer says.
 * Asking twice within a build for the same file shares one render.
 */
export async function cachedAvvPdf(state: DocumentState, dataCategories: readonly DataCategory[], cacheDir: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = createHash('sha256')
    .update(await rendererFingerprint())
    .update('\0')
    .update(JSON.stringify(dataCategories))
    .update('\0')
    .update(state.canonical)
    .digest('hex');
  const file = `${cacheDir}\0${key}`;
  let pdf = requested.get(file);
  if (!pdf) {
    pdf = cachedRender(cacheDir, key, 'pdf', () => renderAvvPdf(state, dataCategories));
    requested.set(file, pdf);
  }
  return pdf;
}
