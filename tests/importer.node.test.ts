import { createHash } from 'node:crypto';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAvvFixtures, readFixtureAs, FIXTURE_FORMATS, type AvvFixture } from '../src/cli/lib/avv-import-fixtures.ts';
import { scoreImport } from '../src/cli/lib/import-score.ts';
import { splitClauses } from '../src/domain/clauses.ts';
import { contentTree } from '../src/importer/emit/content-tree.ts';
import { importAvv } from '../src/importer/import-document.ts';
import { readBytes } from '../src/importer/read/read-document.ts';
import { readText } from '../src/importer/read/read-text.ts';
import { placesInText } from '../src/importer/countries.ts';
import { periodsIn } from '../src/importer/periods.ts';
import { transferBasesIn } from '../src/importer/transfer-basis.ts';

let fixtures: AvvFixture[];
beforeAll(async () => {
  fixtures = await loadAvvFixtures();
});

function treeOf(text: string): Map<string, string> {
  return contentTree(importAvv(readText(new TextEncoder().encode(text), 'txt')), { sourceName: 'avv.txt' });
}

function frontmatter(markdown: string): Record<string, unknown> {
  return load(markdown.split(/^---$/m)[1]!) as Record<string, unknown>;
}

describe('importer against the hand-written expected results', () => {
  it('has test AVVs of every shape', () => {
    expect(fixtures.map((fixture) => fixture.name)).toEqual(['abschnitte-firmenliste', 'information-gruppenliste', 'markdown-tabelle-gruppen', 'nummeriert-datensaetze', 'paragraphen-tabelle', 'ziffern-gruppiert']);
  });

  for (const format of FIXTURE_FORMATS) {
    it(`recovers every heading, subprocessor and regime from the ${format} versions without a false extraction`, async () => {
      for (const fixture of fixtures) {
        const score = scoreImport(importAvv(await readFixtureAs(fixture, format)), fixture.expected);
        expect({ name: fixture.name, ...score }).toEqual({
          name: fixture.name,
          clauses: { expected: score.clauses.expected, recovered: score.clauses.expected },
          subprocessors: { expected: fixture.expected.subprocessors.length, withCorrectCountry: fixture.expected.subprocessors.length },
          regime: { exact: true, mismatches: [] },
          toms: { expected: score.toms.expected, correct: score.toms.expected },
          falseExtractions: [],
          missed: [],
        });
      }
    }, 60_000);
  }

  it('writes the same TOMs, subprocessor and vendor files from txt, DOCX and PDF', async () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'paragraphen-tabelle')!;
    const trees = await Promise.all(FIXTURE_FORMATS.map(async (format) => contentTree(importAvv(await readFixtureAs(fixture, format)), { sourceName: 'avv' })));
    const structured = (tree: Map<string, string>) => [...tree].filter(([file]) => !file.startsWith('avv/') && file !== 'IMPORT-REVIEW.md');
    expect(structured(trees[1]!)).toEqual(structured(trees[0]!));
    expect(structured(trees[2]!)).toEqual(structured(trees[0]!));
  }, 60_000);
});

describe('the AVV text', { timeout: 30_000 }, () => {
  it('hashes the same way on every import', () => {
    const text = fixtures.find((fixture) => fixture.name === 'nummeriert-datensaetze')!.text;
    const hash = (tree: Map<string, string>) => createHash('sha256').update(tree.get('avv/3-1.md')!).digest('hex');
    expect(hash(treeOf(text))).toBe(hash(treeOf(text)));
    expect([...treeOf(text)]).toEqual([...treeOf(text)]);
  });

  it('turns clause headings into ## headings with stable anchors and leaves every other line as written', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'paragraphen-tabelle')!;
    const markdown = treeOf(fixture.text).get('avv/entwurf.md')!;
    const body = markdown.split(/^---$/m).slice(2).join('---');
    expect(body).toContain('\n## § 6 Unterauftragsverhältnisse {#unterauftragsverhaeltnisse}\n');
    const { clauses } = splitClauses(body);
    expect(clauses.map((clause) => clause.heading)).toEqual(fixture.expected.clauses);
    expect(clauses.every((clause) => clause.explicitAnchor)).toBe(true);
    const sourceLines = new Set(fixture.text.split('\n').map((line) => line.trim()));
    for (const line of body.split('\n')) if (line !== '' && !line.startsWith('## ')) expect(sourceLines).toContain(line);
    // The TOMs and the subprocessor list become their own files, not AVV text.
    expect(body).not.toContain('Zutrittskontrolle');
    expect(body).not.toContain('Spreewolke');
  });

  it('takes Word heading styles as clauses when the numbering is Word\'s own (not in the text)', async () => {
    const paragraph = (text: string) => new Paragraph({ children: [new TextRun(text)] });
    const heading = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(text)] });
    const document = new Document({ sections: [{ children: [
      heading('Gegenstand'), paragraph('Der Auftragsverarbeiter betreibt eine Software.'),
      heading('Unterauftragsverarbeiter'), paragraph('Der Auftragsverarbeiter informiert den Kunden mindestens 14 Tage vor dem Einsatz neuer Unterauftragsverarbeiter. Der Kunde kann innerhalb von 7 Tagen nach Zugang widersprechen.'),
      heading('Haftung'), paragraph('Es gilt der Hauptvertrag.'),
    ] }] });
    const imported = importAvv(await readBytes(new Uint8Array(await Packer.toBuffer(document)), 'docx'));
    expect(imported.structure.clauses.map((clause) => clause.text)).toEqual(['Gegenstand', 'Unterauftragsverarbeiter', 'Haftung']);
    expect(imported.changeRegime.noticePeriod).toMatchObject({ found: true, value: { amount: 14, unit: 'calendar-days', qualifier: 'at-least' }, confidence: 'medium' });
    expect(imported.changeRegime.responsePeriod).toMatchObject({ found: true, value: { amount: 7, unit: 'calendar-days', countedFrom: 'receipt' } });
  });

  it('reads Markdown input with its own heading marks', async () => {
    const markdown = '# AVV der Beispiel GmbH\n\n## § 1 Gegenstand\n\nText eins.\n\n## § 2 Dauer\n\nText zwei.\n\n## § 3 Schluss\n\nText drei.\n';
    const imported = importAvv(await readBytes(new TextEncoder().encode(markdown), 'md'));
    expect(imported.structure.clauses.map((clause) => clause.text)).toEqual(['§ 1 Gegenstand', '§ 2 Dauer', '§ 3 Schluss']);
  });
});

describe('nothing invented', { timeout: 30_000 }, () => {
  const ENUM_FIELDS = new Set(['country', 'type', 'categories', 'right', 'unit', 'qualifier', 'form', 'countedFrom', 'kinds', 'language', 'id', 'shiftToNextWorkingDay', 'withdrawable', 'lapsesAfterPeriod']);

  function strings(value: unknown, key: string, into: { key: string; value: string }[]): void {
    if (typeof value === 'string') into.push({ key, value });
    else if (Array.isArray(value)) for (const item of value) strings(item, key, into);
    else if (value && typeof value === 'object') for (const [field, item] of Object.entries(value)) strings(item, field, into);
  }

  it('every text value in the draft is quoted from the document or is not-stated', () => {
    for (const fixture of fixtures) {
      const source = fixture.text.replace(/\s+/g, ' ');
      for (const [file, content] of treeOf(fixture.text)) {
        if (file === 'IMPORT-REVIEW.md' || file === 'data-categories.yaml') continue;
        const data = file.endsWith('.md') ? frontmatter(content) : load(content);
        const found: { key: string; value: string }[] = [];
        strings(data, '', found);
        for (const { key, value } of found) {
          if (value === 'not-stated' || ENUM_FIELDS.has(key)) continue;
          for (const part of value.split('; ')) expect(source, `${fixture.name} ${file} › ${key}`).toContain(part.replace(/\s+/g, ' '));
        }
      }
    }
  });

  it('leaves data categories the list states for the author to map, never as not-stated', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'markdown-tabelle-gruppen')!;
    // The same table with a column of data categories per subprocessor.
    const text = fixture.text
      .split('\n')
      .map((line) => {
        if (!line.startsWith('|')) return line;
        if (line.startsWith('| Unterauftragsverarbeiter')) return `${line} Verarbeitete Datenarten |`;
        if (line.startsWith('| ---')) return `${line} --- |`;
        if (line.startsWith('| **')) return `${line} |`;
        return `${line} Kontaktdaten, Nutzungsdaten |`;
      })
      .join('\n');
    const tree = treeOf(text);
    const elbe = tree.get('subprocessors/elbe-rechenzentren-ag.yaml')!;
    expect(load(elbe)).not.toHaveProperty('dataCategories');
    expect(elbe).toMatch(/^# dataCategories: the list states "Kontaktdaten, Nutzungsdaten" \(line \d+\); map these words to the ids of data-categories.yaml$/m);
    // Without the column, the list states none: not-stated, as before.
    expect(load(treeOf(fixture.text).get('subprocessors/elbe-rechenzentren-ag.yaml')!)).toMatchObject({ dataCategories: 'not-stated' });
  });

  it('leaves a location stated outside the list for the author, never as not-stated', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'nummeriert-datensaetze')!;
    // The list entry loses its location line; a clause states where Brücke processes instead.
    const text = fixture.text
      .replace('Standorte: Deutschland\n', '')
      .replace('4. Sicherheit der Verarbeitung\n', '4. Sicherheit der Verarbeitung\n\nDer Druckdienstleister Brücke verarbeitet die Rechnungsdaten ausschließlich in Deutschland.\n');
    const file = treeOf(text).get('subprocessors/bruecke-druck-versand-gmbh.yaml')!;
    expect(load(file)).not.toHaveProperty('locations');
    expect(file).toMatch(/^# locations: the list gives none, but line \d+ names it with DE: "Der Druckdienstleister Brücke verarbeitet/m);
  });

  it('records what the AVV does not state as not-stated and leaves facts without that option to the author', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'information-gruppenliste')!;
    const tree = treeOf(fixture.text);
    const avv = frontmatter(tree.get('avv/entwurf.md')!);
    expect(avv.changeRules).toEqual([{ id: 'einsatz-von-subunternehmern', clause: '§ 4 Einsatz von Subunternehmern', scope: { kinds: ['add'] }, right: 'information', noticePeriod: { wording: 'rechtzeitig vorab' } }]);
    expect(avv).not.toHaveProperty('effectiveDate');
    expect(tree.get('avv/entwurf.md')).toContain('# effectiveDate: write the day from which this version governs');
    const vendor = load(tree.get('vendor.yaml')!) as Record<string, unknown>;
    expect(vendor.dataProtectionOfficer).toBe('not-stated');
    const granit = load(tree.get('subprocessors/granit-hosting-gmbh.yaml')!) as Record<string, unknown>;
    expect(granit).toMatchObject({ dataCategories: 'not-stated', since: 'not-stated', locations: [{ country: 'DE' }], groups: ['Hosting'] });
    expect(granit).not.toHaveProperty('transfers');
    const review = tree.get('IMPORT-REVIEW.md')!;
    expect(review).toContain('- period for the declaration: *not stated* — the clause foresees no declaration by the customer');
    expect(review).toContain('`avv/entwurf.md` › effectiveDate:');
  });

  it('keeps a third-country entry without a named basis as transfers: not-stated and Privacy Shield as what the AVV says', () => {
    const tree = treeOf(fixtures.find((candidate) => candidate.name === 'ziffern-gruppiert')!.text);
    expect(load(tree.get('subprocessors/meerblick-mailer-inc.yaml')!)).toMatchObject({ transfers: [{ type: 'privacy-shield' }] });
    const noBasis = treeOf('Anlage 1 Unterauftragsverarbeiter\n\nName\tSitz\tLeistung\nFerne Dienste Inc.\t1 Main Street, Austin, TX 78701, USA\tSupport\n');
    expect(load(noBasis.get('subprocessors/ferne-dienste-inc.yaml')!)).toMatchObject({ locations: 'not-stated', transfers: 'not-stated', address: { country: 'US' } });
  });

  it('merges a company the list names under two groups into one file with both groups', () => {
    const tree = treeOf(fixtures.find((candidate) => candidate.name === 'ziffern-gruppiert')!.text);
    expect(load(tree.get('subprocessors/tidenhub-cloud-se.yaml')!)).toMatchObject({ groups: ['Versand', 'Datensicherung'], position: 1, purpose: 'Rechenzentrum; Sicherungskopien', locations: [{ country: 'EU' }] });
  });
});

describe('data categories', { timeout: 30_000 }, () => {
  it('lists the categories of data and data subjects the AVV gives as lists, with their explanation', () => {
    const tree = treeOf(fixtures.find((candidate) => candidate.name === 'nummeriert-datensaetze')!.text);
    const categories = load(tree.get('data-categories.yaml')!) as { id: string; kind: string; label: string; description?: string }[];
    expect(categories.map(({ id, kind }) => `${kind}:${id}`)).toEqual([
      'data:stammdaten', 'data:rechnungsdaten', 'data:bankverbindungen', 'data:nutzungsprotokolle',
      'data-subjects:kunden-des-auftraggebers', 'data-subjects:lieferanten-des-auftraggebers', 'data-subjects:beschaeftigte-des-auftraggebers',
    ]);
    expect(categories[0]).toEqual({ id: 'stammdaten', kind: 'data', label: 'Stammdaten', description: 'Name, Anschrift, Kundennummer' });
  });

  it('leaves a clause that mixes both kinds, or gives them as prose, to the author', () => {
    for (const name of ['markdown-tabelle-gruppen', 'paragraphen-tabelle']) {
      expect(treeOf(fixtures.find((candidate) => candidate.name === name)!.text).get('data-categories.yaml')).toMatch(/\n\[\]\n$/);
    }
  });
});

describe('recognisers', () => {
  it('reads periods with number words, units and qualifiers', () => {
    expect(periodsIn('regelmäßig 14 Werktage').map(({ amount, unit, qualifier }) => ({ amount, unit, qualifier }))).toEqual([{ amount: 14, unit: 'werktage', qualifier: 'regelmäßig' }]);
    expect(periodsIn('spätestens vier Wochen vorher')[0]).toMatchObject({ amount: 4, unit: 'weeks', qualifier: 'spätestens' });
    expect(periodsIn('binnen zwei (2) Monaten')[0]).toMatchObject({ amount: 2, unit: 'months' });
    expect(periodsIn('innerhalb von 30 Tagen')[0]).toMatchObject({ amount: 30, unit: 'calendar-days', bareDays: true });
    expect(periodsIn('an einem Tag der Woche')).toEqual([]);
  });

  it('maps German and English country names, keeps regions, and never maps a city', () => {
    const codes = (text: string) => placesInText(text).map((place) => (place.kind === 'country' ? place.code : place.region));
    expect(codes('Frankfurt am Main (Deutschland), Dublin (Irland), USA')).toEqual(['DE', 'IE', 'US']);
    expect(codes('Vereinigte Staaten von Amerika')).toEqual(['US']);
    expect(codes('Vereinigtes Königreich')).toEqual(['GB']);
    expect(codes('EU/EWR')).toEqual(['EEA']);
    expect(codes('Frankfurt am Main')).toEqual([]);
    expect(codes('Europa')).toEqual([]);
  });

  it('recognises transfer bases and ignores links', () => {
    const bases = (text: string) => transferBasesIn(text).map((mention) => mention.basis);
    expect(bases('EU-Standardvertragsklauseln (Modul 2)')).toEqual(['scc']);
    expect(transferBasesIn('SCC Modul 3')[0]).toMatchObject({ sccModule: 3 });
    expect(bases('PrivacyShield, Auftragsverarbeitung')).toEqual(['privacy-shield']);
    expect(bases('EU-US Data Privacy Framework')).toEqual(['eu-us-dpf']);
    expect(bases('Auftragsverarbeitung <https://www.privacyshield.gov/participant?id=1>')).toEqual([]);
  });
});
