import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { splitClauses } from '../src/domain/clauses.ts';
import { sha256Hex } from '../src/domain/sha256.ts';
import { hashAcceptanceDocument } from '../src/domain/acceptance-document.ts';
import { renderAvvPdf } from '../src/lib/avv-pdf.ts';
import { documentStateFromCanonical } from '../src/lib/document-state.ts';
import { plainText } from '../src/lib/markdown-blocks.ts';
import { scratchDir } from './support/astro-build.ts';
import { exampleCategories, exampleState } from './support/example-state.ts';

const run = promisify(execFile);

describe('a document state read from its published bytes', () => {
  it('gives back exactly the document that was hashed', async () => {
    const built = await exampleState();
    const read = await documentStateFromCanonical(built.sha256, built.canonical);
    expect(read.document).toEqual(JSON.parse(built.canonical));
    expect((await hashAcceptanceDocument(read.document)).canonical).toBe(built.canonical);
  });

  it('refuses bytes that do not hash to the state id, and bytes that are no acceptance document', async () => {
    const built = await exampleState();
    await expect(documentStateFromCanonical('0'.repeat(64), built.canonical)).rejects.toThrow(/hash to/);
    const other = JSON.stringify({ ...JSON.parse(built.canonical), format: 'something-else' });
    await expect(documentStateFromCanonical(await sha256Hex(other), other)).rejects.toThrow(/not an acceptance document/);
  });
});

/** The text of a PDF as poppler's pdftotext extracts it (Debian: poppler-utils). */
async function pdfText(bytes: Uint8Array, options: string[] = []): Promise<string> {
  const file = join(await scratchDir('pdf'), 'document.pdf');
  await writeFile(file, bytes);
  return (await run('pdftotext', [...options, file, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ');

describe('the PDF of a document state', { timeout: 60_000 }, () => {
  it('carries every clause heading, both annexes and the SHA-256 as real text', async () => {
    const state = await exampleState();
    const pdf = await renderAvvPdf(state, await exampleCategories());
    const text = collapse(await pdfText(pdf));

    const { clauses } = splitClauses(state.document.avv.text);
    expect(clauses.length).toBeGreaterThan(10);
    const missing = clauses.map((clause) => plainText(clause.heading)).filter((heading) => !text.includes(heading));
    expect(missing).toEqual([]);
    expect(text).toContain(state.document.avv.title);
    expect(text).toContain('Anlage 1: Technische und organisatorische Maßnahmen');
    expect(text).toContain('Anlage 2: Unterauftragsverarbeiter');
    expect(text).toContain(state.document.toms.title);
    for (const section of state.document.toms.sections) expect(text).toContain(section.title.de);
    for (const subprocessor of state.document.subprocessors) expect(text).toContain(subprocessor.legalEntity);
    expect(text).toContain('Gültig ab: 01.01.2026');

    // Anlage 2 names data categories by the labels the web pages show, qualifiers included, never by id.
    const categories = await exampleCategories();
    const backup = state.document.subprocessors.find((subprocessor) => subprocessor.slug === 'polarsicher-backup');
    expect(backup?.dataCategories).not.toBe('not-stated');
    expect(text).toContain('Stammdaten der Nutzer – verschlüsselt');
    for (const category of categories) {
      const named = state.document.subprocessors.some((subprocessor) =>
        [subprocessor.dataCategories, subprocessor.dataSubjects].some((mappings) => mappings !== 'not-stated' && mappings.some((mapping) => mapping.id === category.id)));
      if (!named) continue;
      expect(text).toContain(category.label.de);
      expect(text, `category id ${category.id} printed raw`).not.toMatch(new RegExp(`(?<![\\w-])${category.id}(?![\\w-])`));
    }

    // The hash on the title page and in the footer of every page.
    const pages = (await pdfText(pdf, ['-layout'])).split('\f').filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(5);
    const withoutHash = pages.map((page, index) => (page.includes(state.sha256) ? -1 : index + 1)).filter((page) => page !== -1);
    expect(withoutHash).toEqual([]);
    expect(text).toMatch(new RegExp(`Seite ${pages.length} von ${pages.length}`));
  });

  it('embeds its fonts, declares PDF/A-3b and attaches the canonical document it renders', async () => {
    const state = await exampleState();
    const file = join(await scratchDir('pdf'), 'document.pdf');
    await writeFile(file, await renderAvvPdf(state, await exampleCategories()));
    const fonts = (await run('pdffonts', [file])).stdout.split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    // pdffonts columns: name type encoding emb sub uni object-id; every font embedded with a Unicode map.
    for (const line of fonts) expect(line, line).toMatch(/\+Inter-\S+\s.*\byes\s+yes\s+yes\s/);
    const info = (await run('pdfinfo', ['-meta', file])).stdout;
    expect(info).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(info).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    const dir = await scratchDir('pdf-attachment');
    await run('pdfdetach', ['-saveall', '-o', dir, file]);
    expect(await readFile(join(dir, 'document.json'), 'utf8')).toBe(state.canonical);
  });

  it('is byte-identical when rendered twice, dated by the document, not the clock', async () => {
    const state = await exampleState();
    const [first, second] = [await renderAvvPdf(state, await exampleCategories()), await renderAvvPdf(state, await exampleCategories())];
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    const file = join(await scratchDir('pdf'), 'document.pdf');
    await writeFile(file, first);
    expect((await run('pdfinfo', ['-isodates', file])).stdout).toMatch(/CreationDate:\s+2026-01-01T00:00:00/);
  });

  it('renders a different state into different bytes with its own hash', async () => {
    const state = await exampleState();
    const document = { ...state.document, asOf: '2026-02-01' };
    const { canonical, sha256 } = await hashAcceptanceDocument(document);
    const other = await renderAvvPdf({ sha256, canonical, document }, await exampleCategories());
    expect(collapse(await pdfText(other))).toContain(sha256);
    expect(collapse(await pdfText(other))).not.toContain(state.sha256);
  });
});
