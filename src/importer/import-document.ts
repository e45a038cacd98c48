import { proposeChangeRegime, type ChangeRegimeDraft } from './change-regime.ts';
import { findDataCategories, type DataCategoryDraft } from './data-categories.ts';
import { findDpo, findTitle, findVendor, findVersion, type DpoDraft, type VendorDraft } from './parties.ts';
import { found, spanOf, type Extracted, type Found } from './model.ts';
import { countriesMentionedIn } from './countries.ts';
import type { SourceDocument } from './source-document.ts';
import { recogniseStructure, type Annex, type DocumentStructure } from './structure.ts';
import { findSubprocessors, type SubprocessorDraft } from './subprocessors.ts';
import { findTomSections, type TomSectionDraft } from './toms.ts';
import { escapeRegExp } from './text.ts';

/** Everything the importer read from one AVV, before anything is written. */
export interface ImportedAvv {
  source: SourceDocument;
  structure: DocumentStructure;
  title: Extracted<string>;
  version: Extracted<string>;
  vendor: VendorDraft;
  dpo: { dpo: DpoDraft | undefined; mentionedAt: number | undefined };
  toms: { annex: Annex; preamble: Found<string>[]; sections: TomSectionDraft[] } | undefined;
  subprocessors: { annex: Annex | undefined; entries: SubprocessorDraft[] };
  changeRegime: ChangeRegimeDraft;
  dataCategories: DataCategoryDraft[];
}

const SUBPROCESSOR_TITLE = /unterauftrag|subunternehm|subdienstleister|sub-?processor|weitere(?:r|n)? auftragsverarbeiter|dienstleister/i;

/** Runs structure recognition and every recogniser over the document's lines. */
export function importAvv(source: SourceDocument): ImportedAvv {
  const { lines } = source;
  const structure = recogniseStructure(lines);
  const firstClause = structure.clauses[0]?.line ?? structure.mainTo + 1;

  const tomsAnnex = structure.annexes.find((annex) => annex.kind === 'toms');
  const toms = tomsAnnex ? { annex: tomsAnnex, ...findTomSections(lines, tomsAnnex.from, tomsAnnex.to, annexHeadingLines(tomsAnnex)) } : undefined;

  // The list is the first annex so titled that really holds entries; an annex that only
  // mentions subprocessors (a data-category matrix) yields none and is passed over.
  let subprocessors: ImportedAvv['subprocessors'] = { annex: undefined, entries: [] };
  for (const annex of structure.annexes.filter((candidate) => candidate.kind !== 'toms' && SUBPROCESSOR_TITLE.test(candidate.heading.title))) {
    const entries = findSubprocessors(lines, annex.from + 1, annex.to);
    if (entries.length > 0) {
      annex.kind = 'subprocessors';
      subprocessors = { annex, entries };
      break;
    }
  }
  if (subprocessors.entries.length === 0) {
    // Some AVVs list them in the clause itself.
    const clauses = structure.clauses.filter((clause) => clause.level === 2);
    for (const [index, clause] of clauses.entries()) {
      if (!SUBPROCESSOR_TITLE.test(clause.title)) continue;
      const to = index + 1 < clauses.length ? clauses[index + 1]!.line - 1 : structure.mainTo;
      const entries = findSubprocessors(lines, clause.line + 1, to);
      if (entries.length > 0) {
        subprocessors = { annex: undefined, entries };
        break;
      }
    }
  }

  subprocessors = { ...subprocessors, entries: subprocessors.entries.map((entry) => withLocationMention(lines, entry)) };

  return {
    source,
    structure,
    title: findTitle(lines, firstClause),
    version: findVersion(lines),
    vendor: findVendor(lines, firstClause),
    dpo: findDpo(lines, structure.mainTo),
    toms,
    subprocessors,
    changeRegime: proposeChangeRegime(lines, structure.clauses, structure.mainTo),
    dataCategories: findDataCategories(lines, structure.clauses, structure.mainTo),
  };
}

function annexHeadingLines(annex: Annex): Set<number> {
  return new Set([annex.heading.line, ...(annex.heading.titleLine === undefined ? [] : [annex.heading.titleLine])]);
}

/**
 * A list entry without a location, with the first line outside the entry that names it (by the
 * first word of its name) together with a country: the AVV states a location there.
 */
function withLocationMention(lines: readonly string[], entry: SubprocessorDraft): SubprocessorDraft {
  if (entry.locations.found) return entry;
  const word = entry.name.value.split(/[\s:,(]/)[0]!;
  if (word.length < 4) return entry;
  const named = new RegExp(`\\b${escapeRegExp(word)}\\b`, 'i');
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    if (number >= entry.lines.from && number <= entry.lines.to) continue;
    if (!named.test(line)) continue;
    const places = countriesMentionedIn(line);
    if (places.length > 0) return { ...entry, locationsMentioned: found(places, spanOf(number), line.trim(), 'low') };
  }
  return entry;
}
