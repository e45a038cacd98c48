import { importAvv } from '../importer/import-document.ts';
import { FIXTURE_FORMATS, loadAvvFixtures, readFixtureAs } from './lib/avv-import-fixtures.ts';
import { scoreImport } from './lib/import-score.ts';
import { formatTable } from './lib/table.ts';

/**
 * Importer quality over the hand-written test AVVs, each read as text and as the DOCX and PDF
 * generated from it: clause headings recovered, subprocessors recovered with the right country,
 * change regimes read exactly, and false extractions (values the expected files do not have).
 */
export async function benchImporter(): Promise<void> {
  const fixtures = await loadAvvFixtures();
  const rows: (string | number)[][] = [];
  const falseLines: string[] = [];
  const missedLines: string[] = [];
  for (const format of FIXTURE_FORMATS) {
    const totals = { clauses: 0, clausesExpected: 0, subprocessors: 0, subprocessorsExpected: 0, regimes: 0, toms: 0, tomsExpected: 0, falseExtractions: 0, ms: 0 };
    for (const fixture of fixtures) {
      const source = await readFixtureAs(fixture, format);
      const started = performance.now();
      const score = scoreImport(importAvv(source), fixture.expected);
      totals.ms += performance.now() - started;
      totals.clauses += score.clauses.recovered;
      totals.clausesExpected += score.clauses.expected;
      totals.subprocessors += score.subprocessors.withCorrectCountry;
      totals.subprocessorsExpected += score.subprocessors.expected;
      totals.regimes += score.regime.exact ? 1 : 0;
      totals.toms += score.toms.correct;
      totals.tomsExpected += score.toms.expected;
      totals.falseExtractions += score.falseExtractions.length;
      for (const item of score.falseExtractions) falseLines.push(`  ${format} ${fixture.name}: ${item}`);
      for (const item of score.missed) missedLines.push(`  ${format} ${fixture.name}: ${item}`);
    }
    rows.push([
      format,
      fixtures.length,
      `${totals.clauses}/${totals.clausesExpected} (${percent(totals.clauses, totals.clausesExpected)})`,
      `${totals.subprocessors}/${totals.subprocessorsExpected} (${percent(totals.subprocessors, totals.subprocessorsExpected)})`,
      `${totals.regimes}/${fixtures.length}`,
      `${totals.toms}/${totals.tomsExpected}`,
      totals.falseExtractions,
      (totals.ms / fixtures.length).toFixed(1),
    ]);
  }
  console.log('\nImporter quality over tests/fixtures/avv-import (targets: ≥ 95 % headings, ≥ 90 % subprocessors, every regime exact, 0 false)\n');
  console.log(formatTable(['format', 'AVVs', 'clause headings', 'subprocessors with country', 'regime exact', 'TOMs categories', 'false extractions', 'ms per AVV'], rows));
  if (falseLines.length > 0) console.log(`\nFalse extractions:\n${falseLines.join('\n')}`);
  if (missedLines.length > 0) console.log(`\nStated in the AVV but not found (written as gaps for the author):\n${missedLines.join('\n')}`);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}
