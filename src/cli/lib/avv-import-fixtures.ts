import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBytes } from '../../importer/read/read-document.ts';
import type { SourceDocument } from '../../importer/source-document.ts';
import { docxOfText, pdfOfText } from './avv-test-documents.ts';
import type { ExpectedImport } from './import-score.ts';
import { root } from './run.ts';

/** The hand-written test AVVs (tests/fixtures/avv-import/<name>.txt with <name>.expected.json). */
export const AVV_FIXTURE_DIR = path.join(root, 'tests/fixtures/avv-import');

export interface AvvFixture {
  name: string;
  text: string;
  expected: ExpectedImport;
}

export async function loadAvvFixtures(): Promise<AvvFixture[]> {
  const names = (await readdir(AVV_FIXTURE_DIR)).filter((file) => file.endsWith('.txt')).map((file) => file.slice(0, -4)).sort();
  return Promise.all(names.map(async (name) => ({
    name,
    text: await readFile(path.join(AVV_FIXTURE_DIR, `${name}.txt`), 'utf8'),
    expected: JSON.parse(await readFile(path.join(AVV_FIXTURE_DIR, `${name}.expected.json`), 'utf8')) as ExpectedImport,
  })));
}

export const FIXTURE_FORMATS = ['txt', 'docx', 'pdf'] as const;

/** The fixture in one format: the text itself, or a DOCX / PDF generated from it, read back by the importer's reader. */
export async function readFixtureAs(fixture: AvvFixture, format: (typeof FIXTURE_FORMATS)[number]): Promise<SourceDocument> {
  if (format === 'txt') return readBytes(new TextEncoder().encode(fixture.text), 'txt');
  const bytes = format === 'docx' ? await docxOfText(fixture.text) : await pdfOfText(fixture.text);
  return readBytes(bytes, format);
}
