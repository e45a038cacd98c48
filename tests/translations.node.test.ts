import { createHash } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingMessage } from '../src/i18n/finding-text.ts';
import { checkContentTree } from '../src/lib/content-files.ts';
import { scratchDir } from './support/astro-build.ts';

/*
 * English convenience translations next to the German files: the check holds them to the German
 * text they translate (same sections and measures, a German file to translate) and reports
 * a translation made from an earlier state of the German file.
 */
const content = path.resolve(import.meta.dirname, '../content');
const BUILD_DATE = '2026-12-01';

async function contentCopy(): Promise<string> {
  const dir = path.join(await scratchDir('translations'), 'content');
  await cp(content, dir, { recursive: true });
  return dir;
}

const relativeTo = (dir: string) => (file: string) => path.relative(dir, path.resolve(file)).split(path.sep).join('/');

describe('English convenience translations in the content check', () => {
  it('the example TOMs translation matches its German file: nothing to report', () => {
    const result = checkContentTree(content, BUILD_DATE);
    expect(result.errors).toEqual([]);
    expect(result.openFindings.filter((found) => found.rule === 'translation-outdated')).toEqual([]);
  });

  it('reports a translation whose German file changed afterwards, naming the new SHA-256', async () => {
    const dir = await contentCopy();
    const german = path.join(dir, 'toms/2026-01.md');
    await writeFile(german, (await readFile(german, 'utf8')).replace('Aufbewahrung der täglichen Sicherungen für 35 Tage', 'Aufbewahrung der täglichen Sicherungen für 30 Tage'));
    const sha256 = createHash('sha256').update(await readFile(german)).digest('hex');
    const result = checkContentTree(dir, BUILD_DATE);
    // An offered TOMs version edited in place is refused by the lock of published states as well.
    expect(result.errors.map((problem) => [relativeTo(dir)(problem.file), problem.rule])).toEqual([['toms/2026-01.md', 'published-state-changed']]);
    const outdated = result.openFindings.filter((found) => found.rule === 'translation-outdated');
    expect(outdated.map((found) => [relativeTo(dir)(found.file), found.field])).toEqual([['toms/2026-01.en.md', 'translatedFrom']]);
    expect(findingMessage(outdated[0]!, 'en')).toBe(`the German text ${relativeTo(process.cwd())(german)} changed after this translation was made (its SHA-256 is now ${sha256})`);

    // Updated to the new German text, the translation names the new hash and the finding is gone.
    const translation = path.join(dir, 'toms/2026-01.en.md');
    await writeFile(translation, (await readFile(translation, 'utf8')).replace(/translatedFrom: [0-9a-f]{64}/, `translatedFrom: ${sha256}`).replace('Daily backups kept for 35 days', 'Daily backups kept for 30 days'));
    expect(checkContentTree(dir, BUILD_DATE).openFindings.filter((found) => found.rule === 'translation-outdated')).toEqual([]);
  });

  it('refuses a TOMs translation that leaves out a measure, and one without a German file', async () => {
    const dir = await contentCopy();
    const translation = path.join(dir, 'toms/2026-01.en.md');
    await writeFile(translation, (await readFile(translation, 'utf8')).replace('      - Version history for tasks and wiki pages\n', ''));
    await cp(translation, path.join(dir, 'toms/2027-01.en.md'));
    const result = checkContentTree(dir, BUILD_DATE);
    expect(result.errors.map((problem) => `${relativeTo(dir)(problem.file)} › ${problem.field}: ${problem.message}`)).toEqual([
      `toms/2027-01.en.md › : translates ${relativeTo(process.cwd())(path.join(dir, 'toms/2027-01.md'))}, which does not exist: name the translation after the German file, with .en before .md`,
      'toms/2026-01.en.md › sections[6].measures: section "eingabekontrolle" has 7 measures; translate each, in the same order (6 given)',
    ]);
  });

  it('refuses sections in a translation of an AVV version (its text is the Markdown body)', async () => {
    const dir = await contentCopy();
    await rm(path.join(dir, 'toms/2026-01.en.md'));
    await writeFile(path.join(dir, 'avv/2.0.en.md'), `---\nlanguage: en\ntranslatedFrom: ${'a'.repeat(64)}\nsections:\n  - measures: [x]\n---\nText\n`);
    const result = checkContentTree(dir, BUILD_DATE);
    expect(result.errors.map((problem) => `${relativeTo(dir)(problem.file)} › ${problem.field}: ${problem.message}`)).toEqual([
      'avv/2.0.en.md › sections: only a TOMs translation has sections; translate this text in the Markdown body',
    ]);
  });
});
