import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { buildAcceptanceDocument, hashAcceptanceDocument } from '../../src/domain/acceptance-document.ts';
import { inForceOn } from '../../src/domain/version-in-force.ts';
import type { DocumentState } from '../../src/lib/document-state.ts';
import { AvvVersionSchema } from '../../src/schemas/avv.ts';
import { DataCategorySchema, type DataCategory } from '../../src/schemas/data-category.ts';
import { SubprocessorSchema } from '../../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../../src/schemas/tom.ts';

const content = resolve(import.meta.dirname, '../../content');

/** A Markdown file with YAML frontmatter, as the content collections read it. */
async function readMarkdown(file: string): Promise<{ data: unknown; body: string }> {
  const text = await readFile(join(content, file), 'utf8');
  const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text) ?? [];
  return { data: load(frontmatter), body };
}

/** The example content's declared data categories, as the build reads them. */
export async function exampleCategories(): Promise<DataCategory[]> {
  const raw = load(await readFile(join(content, 'data-categories.yaml'), 'utf8'));
  return DataCategorySchema.array().parse(raw);
}

/** The example content's AVV 2.0 with the annexes in force on its effective date. */
export async function exampleState(): Promise<DocumentState> {
  const avv = await readMarkdown('avv/2.0.md');
  const toms = await readMarkdown('toms/2026-01.md');
  const asOf = '2026-01-01';
  const subprocessors = [];
  for (const file of (await readdir(join(content, 'subprocessors'))).sort()) {
    const parsed = SubprocessorSchema.parse(load(await readFile(join(content, 'subprocessors', file), 'utf8')));
    if (inForceOn(parsed, asOf)) subprocessors.push({ ...parsed, slug: file.replace(/\.yaml$/, '') });
  }
  const document = buildAcceptanceDocument({
    asOf,
    avv: { ...AvvVersionSchema.parse(avv.data), body: avv.body },
    toms: { ...TomVersionSchema.parse(toms.data), body: toms.body },
    subprocessors,
  });
  const { canonical, sha256 } = await hashAcceptanceDocument(document);
  return { sha256, canonical, document };
}
