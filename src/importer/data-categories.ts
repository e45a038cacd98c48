import { found, spanOf, type Found } from './model.ts';
import type { Heading } from './structure.ts';
import { plainLine, slugify } from './text.ts';

/**
 * The categories of data and of data subjects the contract lists (Art. 28(3) sentence 1 GDPR),
 * from the list items of the clauses titled so ("Art der Daten", "Kategorien betroffener
 * Personen"). Only list items count: splitting a sentence into categories would be the
 * importer's reading, not the contract's list.
 */
export interface DataCategoryDraft {
  id: string;
  kind: 'data' | 'data-subjects';
  /** The item as listed, up to a parenthesis or colon. Example: "Stammdaten". */
  label: string;
  /** The rest of the item where it explains the label. Example: "Name, Anschrift, Kundennummer". */
  description?: string;
  /** True where the label names an Art. 9 category (health, biometric, religious … data). */
  special: boolean;
  source: Found<string>;
}

const DATA_TITLE = /art(?:en)? der (?:personenbezogenen |verarbeiteten )?daten|datenkategorien|datenarten|kategorien (?:von |der )?(?:personenbezogenen |personenbezogener )?daten|types? of (?:personal )?data|categories of (?:personal )?data/i;
const SUBJECT_TITLE = /betroffene[nr]?\b|kategorien betroffener|betroffenenkategorien|kreis der betroffenen|data subjects/i;
const SPECIAL = /gesundheit|biometrisch|genetisch|religi|weltanschau|ethnisch|rassisch|politisch|gewerkschaft|sexual|health|biometric|genetic|religious|ethnic|racial|trade union/i;
const ITEM = /^\s*[-–•*]\s+(.+)$/;

export function findDataCategories(lines: readonly string[], clauses: readonly Heading[], mainTo: number): DataCategoryDraft[] {
  const drafts: DataCategoryDraft[] = [];
  const ids = new Set<string>();
  clauses.forEach((clause, index) => {
    const isData = DATA_TITLE.test(clause.title);
    const isSubjects = SUBJECT_TITLE.test(clause.title);
    // A clause on both ("Kategorien von Daten und Betroffenen") lists them mixed; which item is which is the author's call.
    if (isData === isSubjects) return;
    const kind = isData ? 'data' : 'data-subjects';
    const to = index + 1 < clauses.length ? clauses[index + 1]!.line - 1 : mainTo;
    let parent: DataCategoryDraft | undefined;
    for (let number = clause.line + 1; number <= to; number += 1) {
      const line = lines[number - 1] ?? '';
      const item = ITEM.exec(line);
      if (!item) continue;
      // Word's "o" sub-bullet, or an indented item, details the item above it ("Metadaten" with
      // "o IP-Adresse", "o Cookies"): it is part of that category's description, not a category.
      const nested = /^\s/.test(line) || /^o\s+/.test(item[1]!);
      const text = plainLine(item[1]!.replace(/^o\s+/, '')).replace(/[;,.]$/, '');
      if (nested && parent) {
        parent.description = parent.description ? `${parent.description}, ${text}` : text;
        parent.special ||= SPECIAL.test(text);
        continue;
      }
      const split = /^([^(:]{2,80}?)\s*(?:\(([^)]+)\)|:\s*(.+))$/.exec(text);
      const label = (split ? split[1]! : text).trim();
      if (label.length > 100) continue;
      const description = split ? (split[2] ?? split[3])?.trim() : undefined;
      let id = slugify(label, 4) || 'kategorie';
      for (let suffix = 2; ids.has(id); suffix += 1) id = `${slugify(label, 4)}-${suffix}`;
      ids.add(id);
      parent = { id, kind, label, ...(description ? { description } : {}), special: SPECIAL.test(text), source: found(text, spanOf(number), line.trim()) };
      drafts.push(parent);
    }
  });
  return drafts;
}
