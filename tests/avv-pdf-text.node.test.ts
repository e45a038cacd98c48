import { inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it, vi } from 'vitest';
import { hashAcceptanceDocument } from '../src/domain/acceptance-document.ts';
import { splitClauses } from '../src/domain/clauses.ts';
import type { DocumentState } from '../src/lib/document-state.ts';
import { plainText } from '../src/lib/markdown-blocks.ts';
import { exampleCategories, exampleState } from './support/example-state.ts';

/*
 * Every glyph an AVV PDF draws must map back to its text: the SHA-256 printed in the PDF is the
 * customer's evidence of which document they accepted, and a PDF whose ToUnicode map gives a
 * glyph no text (`<>`) shows the digits but extracts without them. It broke once when fonts were
 * shared between documents (commit 399941d): only in the later PDFs of a build thread whose word
 * layouts were seeded from an earlier build. So these PDFs are rendered as the build renders
 * them: fresh modules, layouts seeded from a snapshot of an earlier thread, several states in a row.
 * Text is read with pdf.js (unpdf), which shares no code with pdfkit.
 */

/** The state with another as-of day and without its first `drop` subprocessors: other words, other hash. */
async function variant(state: DocumentState, asOf: string, drop: number): Promise<DocumentState> {
  const document = { ...state.document, asOf, subprocessors: state.document.subprocessors.slice(drop) };
  const { canonical, sha256 } = await hashAcceptanceDocument(document);
  return { sha256, canonical, document };
}

const collapse = (text: string) => text.replace(/\s+/g, ' ');

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return collapse(text);
}

/** Each ToUnicode CMap of the PDF, inflated (pdfkit writes them Flate-compressed). */
function toUnicodeMaps(bytes: Uint8Array): string[] {
  const pdf = Buffer.from(bytes).toString('latin1');
  const ids = [...new Set([...pdf.matchAll(/\/ToUnicode (\d+) 0 R/g)].map((match) => match[1]!))];
  return ids.map((id) => {
    const start = pdf.indexOf('stream', pdf.indexOf(`\n${id} 0 obj`)) + 'stream'.length;
    const from = start + (pdf[start] === '\r' ? 2 : 1);
    const data = Buffer.from(pdf.slice(from, pdf.indexOf('endstream', from)), 'latin1');
    const header = pdf.slice(pdf.indexOf(`\n${id} 0 obj`), start);
    return header.includes('/FlateDecode') ? inflateSync(data).toString('latin1') : data.toString('latin1');
  });
}

/** Words (or a heading) of the AVV with each of ä ö ü ß §, as the PDF must give them back. */
function germanSample(state: DocumentState): string[] {
  const { clauses } = splitClauses(state.document.avv.text);
  // Whole headings ("§ 3 …": the sign stands alone), then the words of the clauses.
  const candidates = [...clauses.map((clause) => collapse(plainText(clause.heading))), ...clauses.flatMap((clause) => plainText(clause.body).split(/\s+/))];
  return ['ä', 'ö', 'ü', 'ß', '§'].map((letter) => {
    const word = candidates.find((candidate) => candidate.includes(letter) && candidate.length > 3);
    if (!word) throw new Error(`the example AVV has no word with ${letter}`);
    return word;
  });
}

describe('the text of every AVV PDF a build thread renders', { timeout: 120_000 }, () => {
  it('extracts verbatim: the SHA-256 and German text with umlauts, no glyph without text', async () => {
    const state = await exampleState();
    const categories = await exampleCategories();
    // An earlier build thread: its word layouts are what the cache hands the next build.
    const earlier = await import('../src/lib/avv-pdf.ts');
    await earlier.renderAvvPdf(state, categories);
    const snapshot = (await import('../src/lib/pdf-word-layouts.ts')).wordLayoutsSnapshot();

    vi.resetModules();
    const layouts = await import('../src/lib/pdf-word-layouts.ts');
    layouts.seedWordLayouts(snapshot);
    const { renderAvvPdf } = await import('../src/lib/avv-pdf.ts');
    const states = [state, await variant(state, '2026-02-01', 1), await variant(state, '2026-03-01', 2), await variant(state, '2026-04-01', 0)];
    const sample = germanSample(state);
    for (const [index, current] of states.entries()) {
      const pdf = await renderAvvPdf(current, categories);
      const context = `PDF ${index + 1} of the thread (${current.document.asOf})`;
      const maps = toUnicodeMaps(pdf);
      expect(maps.length, context).toBeGreaterThanOrEqual(2);
      for (const map of maps) expect(map, `${context}: a glyph maps to no text`).not.toMatch(/<[0-9a-fA-F]+>\s*<>/);
      const text = await pdfText(pdf);
      expect(text, context).toContain(current.sha256);
      for (const word of sample) expect(text, `${context}: ${word}`).toContain(word);
    }
  });
});
