import { found, notStated, spanOf, type Extracted, type Found } from './model.ts';
import { isTitleLike } from './structure.ts';
import { plainLine, slugify } from './text.ts';
import { categoriesOfTitle, type TomCategoryId } from './tom-categories.ts';

/**
 * The TOMs annex as sections of measures. A section starts at a numbered, lettered or short
 * stand-alone heading line; its list items are its measures and its prose its description.
 * Categories come only from the section title; a title that names none leaves them not stated.
 */
export interface TomSectionDraft {
  id: string;
  title: Found<string>;
  categories: Extracted<TomCategoryId[]>;
  description?: Found<string>;
  measures: Found<string>[];
}

const NUMBERED_HEADING = /^(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-z][).]|[A-Z][).]|[IVX]{1,4}\.)\s+(.+)$/;
const LIST_ITEM = /^\s*(?:[-–•*]|\d{1,2}[.)]|[a-z][.)])\s+(.+)$/;

function sectionTitle(line: string, previousBlank: boolean, nextIsItem: boolean, nextIsBlank: boolean): string | undefined {
  if (/^\s/.test(line)) return undefined;
  const isBullet = /^\s*[-–•*]\s+/.test(line);
  const introducesList = /:\s*$/.test(line);
  const plain = plainLine(line).replace(/:$/, '');
  // A heading stands alone: a line the paragraph continues on is prose that wrapped.
  if (!nextIsBlank && !nextIsItem) return undefined;
  const numbered = NUMBERED_HEADING.exec(plain);
  if (numbered && !isBullet && isTitleLike(numbered[1]!, 90)) return plain;
  if (isBullet || !previousBlank || introducesList) return undefined;
  // A closing explanation in brackets ("Zugriffskontrolle (Berechtigungen für …)") is part of
  // the heading, not a sign of prose: the heading is judged without it.
  const core = plain.replace(/\s*\([^()]*\)$/, '');
  if (!isTitleLike(core, 120)) return undefined;
  const words = core.split(/\s+/).length;
  // A line naming a category is a heading even when long ("Sicherung der Integrität und
  // Verfügbarkeit … sowie der Belastbarkeit …"); a short line above a list or standing alone
  // between empty lines is one without ("Organisatorisches", "Datenschutz auf Mitarbeiterebene").
  if (categoriesOfTitle(core).length > 0) return plain;
  if (words <= 7 && (/ma(ß|ss)nahmen|kontrolle|control|measures|sicherheit/i.test(plain) || nextIsItem)) return plain;
  if (words <= 5 && nextIsBlank) return plain;
  return undefined;
}

/** Sections of the TOMs annex in lines from..to (`skip`: the annex heading lines), and the annex's introduction before the first section. */
export function findTomSections(lines: readonly string[], from: number, to: number, skip: ReadonlySet<number>): { preamble: Found<string>[]; sections: TomSectionDraft[] } {
  const preamble: Found<string>[] = [];
  const sections: { title: Found<string>; prose: Found<string>[]; items: Found<string>[] }[] = [];
  let current: (typeof sections)[number] | undefined;
  let previousBlank = true;
  let introducedList = false;
  let listOrdinal = -1;
  let lastItem: { section: (typeof sections)[number]; index: number; line: number } | undefined;
  for (let number = from; number <= to; number += 1) {
    const line = lines[number - 1] ?? '';
    if (skip.has(number)) {
      previousBlank = true;
      continue;
    }
    if (line.trim() === '') {
      previousBlank = true;
      continue;
    }
    const ordinal = /^\s*(\d{1,2})[.)]\s/.exec(line)?.[1];
    // "1. HTTPS" after "Verschlüsselung aller Leitungen:" starts a numbered list, and "2. …" continues it.
    const listItem = ordinal !== undefined && (introducedList || Number(ordinal) === listOrdinal + 1);
    const title = listItem ? undefined : sectionTitle(line, previousBlank, nextNonEmptyIsItem(lines, number, to), (lines[number] ?? '').trim() === '');
    introducedList = current !== undefined && /:\s*$/.test(line);
    listOrdinal = listItem ? Number(ordinal) : title !== undefined ? -1 : listOrdinal;
    previousBlank = false;
    if (title !== undefined) {
      current = { title: found(title, spanOf(number), line.trim()), prose: [], items: [] };
      sections.push(current);
      lastItem = undefined;
      continue;
    }
    if (!current) {
      preamble.push(found(line.trim(), spanOf(number), line.trim()));
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      current.items.push(found(plainLine(item[1]!), spanOf(number), line.trim()));
      lastItem = { section: current, index: current.items.length - 1, line: number };
      continue;
    }
    if (lastItem && lastItem.line === number - 1 && lastItem.section === current) {
      // A list item that wrapped onto the next line.
      const previous = current.items[lastItem.index]!;
      current.items[lastItem.index] = found(`${previous.value} ${plainLine(line)}`, spanOf(previous.lines.from, number), `${previous.quote}\n${line.trim()}`);
      lastItem.line = number;
      continue;
    }
    current.prose.push(found(plainLine(line), spanOf(number), line.trim()));
  }
  const ids = new Set<string>();
  const drafts = sections
    .filter((section) => section.items.length > 0 || section.prose.length > 0)
    .map((section) => {
      const plainTitle = section.title.value.replace(/^(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zA-Z][).]|[IVX]{1,4}\.)\s+/, '');
      let id = slugify(plainTitle) || 'abschnitt';
      for (let suffix = 2; ids.has(id); suffix += 1) id = `${slugify(plainTitle) || 'abschnitt'}-${suffix}`;
      ids.add(id);
      const categories = categoriesOfTitle(plainTitle);
      const measures = section.items.length > 0 ? section.items : section.prose;
      const description = section.items.length > 0 && section.prose.length > 0 ? joinFound(section.prose) : undefined;
      return {
        id,
        title: found(plainTitle, section.title.lines, section.title.quote),
        categories: categories.length > 0 ? found(categories, section.title.lines, section.title.quote) : notStated(`the title "${plainTitle}" names no Art. 32 category the importer knows`),
        ...(description ? { description } : {}),
        measures,
      };
    });
  return { preamble, sections: drafts };
}

function joinFound(parts: Found<string>[]): Found<string> {
  return found(parts.map((part) => part.value).join('\n\n'), spanOf(parts[0]!.lines.from, parts.at(-1)!.lines.to), parts.map((part) => part.quote).join('\n'));
}

function nextNonEmptyIsItem(lines: readonly string[], number: number, to: number): boolean {
  for (let next = number + 1; next <= to; next += 1) {
    const line = lines[next - 1] ?? '';
    if (line.trim() !== '') return /^\s*[-–•*]\s+/.test(line);
  }
  return false;
}
