import type { PeriodDraft } from '../../importer/change-regime.ts';
import type { ImportedAvv } from '../../importer/import-document.ts';
import type { Extracted } from '../../importer/model.ts';

/**
 * Scores an import against a hand-written expected-result file (tests/fixtures/avv-import/
 * *.expected.json). Every value the importer produced that the expected file does not have —
 * an extra heading, subprocessor, location, transfer basis, category, or a regime fact the AVV
 * does not state — is a false extraction; the target is none.
 */
export interface ExpectedPeriod {
  wording?: string;
  amount?: number;
  unit?: string;
  qualifier?: string;
  countedFrom?: string;
}

export interface ExpectedImport {
  clauses: string[];
  annexes: string[];
  version?: string;
  vendor: { legalName: string; country?: string };
  toms: Record<string, string[] | null>;
  subprocessors: { legalEntity: string; country: string; locations: string[]; transfers: string[]; groups?: string[] }[];
  regime: { right: string | null; scope: string[] | null; noticePeriod: ExpectedPeriod | null; responsePeriod: ExpectedPeriod | null; form: string | null; consequence: boolean };
}

export interface ImportScore {
  clauses: { expected: number; recovered: number };
  subprocessors: { expected: number; withCorrectCountry: number };
  regime: { exact: boolean; mismatches: string[] };
  toms: { expected: number; correct: number };
  falseExtractions: string[];
  /** Facts the document states that the importer did not find (vendor, regime parts); not counted above. */
  missed: string[];
}

export function scoreImport(imported: ImportedAvv, expected: ExpectedImport): ImportScore {
  const falseExtractions: string[] = [];

  const headings = imported.structure.clauses.map((clause) => clause.text);
  const recoveredClauses = expected.clauses.filter((clause) => headings.includes(clause)).length;
  for (const heading of headings) if (!expected.clauses.includes(heading)) falseExtractions.push(`heading "${heading}"`);
  const annexes = imported.structure.annexes.map((annex) => annex.heading.number);
  for (const annex of annexes) if (!expected.annexes.includes(annex)) falseExtractions.push(`annex "${annex}"`);
  const missingAnnexes = expected.annexes.filter((annex) => !annexes.includes(annex));

  if (imported.version.found && imported.version.value !== expected.version) falseExtractions.push(`version "${imported.version.value}"`);
  const vendorName = imported.vendor.legalName;
  if (vendorName.found && vendorName.value !== expected.vendor.legalName) falseExtractions.push(`vendor "${vendorName.value}"`);
  const vendorCountry = imported.vendor.address.found ? imported.vendor.address.value.country : undefined;
  if (vendorCountry !== undefined && vendorCountry !== expected.vendor.country) falseExtractions.push(`vendor country ${vendorCountry}`);
  const missed: string[] = [];
  if (!vendorName.found) missed.push('vendor name');
  if (expected.vendor.country !== undefined && vendorCountry === undefined) missed.push('vendor country');

  let tomsCorrect = 0;
  for (const section of imported.toms?.sections ?? []) {
    if (!(section.title.value in expected.toms)) {
      falseExtractions.push(`TOMs section "${section.title.value}"`);
      continue;
    }
    const want = expected.toms[section.title.value] ?? null;
    const got = section.categories.found ? section.categories.value : null;
    if (JSON.stringify(want) === JSON.stringify(got)) tomsCorrect += 1;
    else if (got !== null) falseExtractions.push(`TOMs "${section.title.value}" categories ${got.join(',')}`);
  }

  let withCorrectCountry = 0;
  const entries = [...imported.subprocessors.entries];
  for (const want of expected.subprocessors) {
    const index = entries.findIndex((entry) => entry.legalEntity.found && entry.legalEntity.value === want.legalEntity);
    if (index < 0) continue;
    const [entry] = entries.splice(index, 1);
    const country = entry!.address.found ? entry!.address.value.country : undefined;
    const locations = entry!.locations.found ? entry!.locations.value.map((place) => (place.kind === 'country' ? place.code : place.region)) : [];
    if (country === want.country && sameSet(locations, want.locations)) withCorrectCountry += 1;
    for (const code of locations) if (!want.locations.includes(code)) falseExtractions.push(`${want.legalEntity}: location ${code}`);
    if (country !== undefined && country !== want.country) falseExtractions.push(`${want.legalEntity}: seat ${country}`);
    const transfers = entry!.transfers.found ? entry!.transfers.value.map((mention) => mention.basis) : [];
    for (const basis of transfers) if (!want.transfers.includes(basis)) falseExtractions.push(`${want.legalEntity}: transfer ${basis}`);
    const group = entry!.group?.value;
    if (group !== undefined && !(want.groups ?? []).includes(group)) falseExtractions.push(`${want.legalEntity}: group "${group}"`);
  }
  for (const entry of entries) falseExtractions.push(`subprocessor "${entry.name.value}"`);

  const regime = imported.changeRegime;
  const mismatches: string[] = [];
  const compare = (field: string, got: Extracted<unknown>, want: unknown, equal: (value: unknown) => boolean): void => {
    if (want === null || want === false) {
      if (got.found) {
        mismatches.push(field);
        falseExtractions.push(`regime ${field}: ${JSON.stringify(got.value)}`);
      }
      return;
    }
    if (!got.found) {
      mismatches.push(`${field} (missing)`);
      missed.push(`regime ${field}`);
    }
    else if (!equal(got.value)) {
      mismatches.push(field);
      falseExtractions.push(`regime ${field}: ${JSON.stringify(got.value)}`);
    }
  };
  compare('right', regime.right, expected.regime.right, (value) => value === expected.regime.right);
  compare('scope', regime.scope, expected.regime.scope, (value) => sameSet(value as string[], expected.regime.scope!));
  compare('noticePeriod', regime.noticePeriod, expected.regime.noticePeriod, (value) => samePeriod(value as PeriodDraft, expected.regime.noticePeriod!));
  compare('responsePeriod', regime.responsePeriod, expected.regime.responsePeriod, (value) => samePeriod(value as PeriodDraft, expected.regime.responsePeriod!));
  compare('form', regime.form, expected.regime.form, (value) => value === expected.regime.form);
  compare('consequence', regime.consequence, expected.regime.consequence, () => true);

  return {
    clauses: { expected: expected.clauses.length + expected.annexes.length, recovered: recoveredClauses + expected.annexes.length - missingAnnexes.length },
    subprocessors: { expected: expected.subprocessors.length, withCorrectCountry },
    regime: { exact: mismatches.length === 0, mismatches },
    toms: { expected: Object.keys(expected.toms).length, correct: tomsCorrect },
    falseExtractions,
    missed,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

function samePeriod(got: PeriodDraft, want: ExpectedPeriod): boolean {
  if (want.amount === undefined) return got.amount === undefined && (want.wording === undefined || got.wording === want.wording);
  return got.amount === want.amount && got.unit === want.unit && got.qualifier === want.qualifier && (want.countedFrom === undefined || got.countedFrom === want.countedFrom);
}
