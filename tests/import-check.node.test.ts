import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isPublishable } from '../src/domain/content-check.ts';
import { draftContent } from '../src/importer/emit/content-tree.ts';
import type { Gap } from '../src/importer/emit/gaps.ts';
import { importAvv } from '../src/importer/import-document.ts';
import { readText } from '../src/importer/read/read-text.ts';
import { checkContentTree } from '../src/lib/content-files.ts';
import { astroBuild, scratchDir } from './support/astro-build.ts';

/**
 * The importer's promise, end to end with the project's own check and build: the draft's errors
 * are exactly the fields the review leaves to the author; once those are written and the
 * findings acknowledged, the check passes and the site builds from the draft.
 */
const root = path.resolve(import.meta.dirname, '..');
const BUILD_DATE = '2026-12-01';
const FIXTURES = ['abschnitte-firmenliste', 'information-gruppenliste', 'markdown-tabelle-gruppen', 'nummeriert-datensaetze', 'paragraphen-tabelle', 'ziffern-gruppiert'];

async function writeDraft(name: string): Promise<{ dir: string; gaps: Gap[] }> {
  const text = await readFile(path.join(root, 'tests/fixtures/avv-import', `${name}.txt`), 'utf8');
  const { files, gaps } = draftContent(importAvv(readText(new TextEncoder().encode(text), 'txt')), { sourceName: `${name}.txt` });
  const dir = await scratchDir('import-check');
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return { dir, gaps };
}

const lineOf = (dir: string, problem: { file: string; field: string }) => `${path.relative(dir, problem.file).split(path.sep).join('/')} › ${problem.field}`;
const gapLine = (gap: Gap) => `${gap.file.replace(/\/$/, '')} › ${gap.field}`;

/** What an author would write for each field the review lists (test values, not the importer's). */
const AUTHOR_VALUES: Record<string, unknown> = {
  version: '1.0',
  title: 'Auftragsverarbeitungsvertrag',
  effectiveDate: '2026-01-01',
  publishedDate: '2025-12-01',
  reviewedDate: '2025-12-01',
  groups: ['Unterauftragsverarbeiter'],
  instructionsContact: { name: 'Team Datenschutz', email: 'datenschutz@example.com' },
  siteUrl: 'https://trust.example.com',
  holidayRegion: 'BE',
  security: { contact: 'mailto:security@example.com', expires: '2027-12-01' },
  dataProtectionOfficer: { name: 'Dr. Jana Beispiel', email: 'dsb@example.com' },
};

type Data = Record<string, unknown>;

async function editFile(file: string, edit: (data: Data) => void): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (file.endsWith('.md')) {
    const [, frontmatter, ...body] = text.split(/^---$/m);
    const data = load(frontmatter!) as Data;
    edit(data);
    await writeFile(file, `---\n${dump(data)}---${body.join('---')}`);
  } else {
    const data = load(text) as Data;
    edit(data);
    await writeFile(file, dump(data));
  }
}

async function fillGaps(dir: string, gaps: Gap[]): Promise<void> {
  for (const gap of gaps) {
    if (gap.file.endsWith('/')) {
      // The vendor's own texts (accept declaration, Impressum, privacy notice): the project's examples.
      await cp(path.join(root, 'content', gap.file), path.join(dir, gap.file), { recursive: true });
      continue;
    }
    await editFile(path.join(dir, gap.file), (data) => {
      const section = /^sections\[(\d+)\]\.categories$/.exec(gap.field);
      if (section) (data.sections as Data[])[Number(section[1])]!.categories = ['review'];
      else if (gap.field === 'address.country') (data.address as Data).country = 'DE';
      else {
        expect(AUTHOR_VALUES, `no test value for ${gap.field}`).toHaveProperty([gap.field]);
        data[gap.field] = AUTHOR_VALUES[gap.field];
      }
    });
  }
}

/** One acknowledgement per rule and field, as an author writes it, with a reason. */
async function acknowledge(findings: readonly { file: string; rule: string; field: string }[]): Promise<void> {
  const seen = new Set<string>();
  for (const finding of findings) {
    const key = `${finding.file} ${finding.rule} ${finding.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await editFile(finding.file, (data) => {
      data.acknowledgedFindings = [...((data.acknowledgedFindings as unknown[]) ?? []), { rule: finding.rule, field: finding.field, reason: 'Die AVV sagt dazu nichts; beim Anbieter angefragt.' }];
    });
  }
}

describe('an imported draft under npm run check', () => {
  for (const name of FIXTURES) {
    it(`${name}: every error is a field the review leaves to the author, and filled in and acknowledged it publishes`, async () => {
      const { dir, gaps } = await writeDraft(name);
      const first = checkContentTree(dir, BUILD_DATE);
      // Cross-file checks (acceptance wording, legal pages among them) run once every file parses.
      expect(first.errors.map((problem) => lineOf(dir, problem)).sort()).toEqual(gaps.filter((gap) => !gap.file.endsWith('/')).map(gapLine).sort());

      await fillGaps(dir, gaps);
      const second = checkContentTree(dir, BUILD_DATE);
      expect(second.errors).toEqual([]);
      // What the AVV does not state is a finding for the author, never an invented value.
      expect(second.openFindings.length).toBeGreaterThan(0);
      await acknowledge(second.openFindings);
      const third = checkContentTree(dir, BUILD_DATE);
      expect({ errors: third.errors, open: third.openFindings }).toEqual({ errors: [], open: [] });
      expect(isPublishable(third)).toBe(true);
    });
  }

  it('builds the site from a checked draft: the AVV with its clauses, the subprocessors, the change rule', async () => {
    const { dir, gaps } = await writeDraft('paragraphen-tabelle');
    await fillGaps(dir, gaps);
    await acknowledge(checkContentTree(dir, BUILD_DATE).openFindings);
    const outDir = await scratchDir('import-dist');
    const result = await astroBuild({ outDir, contentDir: dir, buildDate: BUILD_DATE });
    expect(result.exitCode, result.output).toBe(0);
    const avvPage = await readFile(path.join(outDir, 'client/avv/index.html'), 'utf8');
    expect(avvPage).toContain('id="unterauftragsverhaeltnisse"');
    expect(avvPage).toContain('innerhalb von 14 Werktagen nach Zugang der Mitteilung');
    const pages = await readdir(path.join(outDir, 'client/subprocessors'));
    expect(pages).toEqual(expect.arrayContaining(['pazifik-support-inc', 'spreewolke-hosting-gmbh']));
  }, 240_000);
});
