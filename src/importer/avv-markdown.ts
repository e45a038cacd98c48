import type { ImportedAvv } from './import-document.ts';
import type { Heading } from './structure.ts';

/**
 * The contract text as Markdown for `content/avv/<version>.md`: every line as read, except that
 * recognised clause headings become `## § 3 Titel {#anker}` (sub-clauses `###`) and Markdown
 * decoration the source used for headings or indentation is dropped. The TOMs and subprocessor
 * annexes are left out here because they become their own content files. A pure function of
 * the lines, so the same document always gives byte-identical Markdown.
 */
export function avvMarkdownBody(imported: ImportedAvv): string {
  const { lines } = imported.source;
  const { structure } = imported;
  const headings = new Map<number, Heading>();
  const skip = new Set<number>();
  for (const clause of structure.clauses) headings.set(clause.line, clause);
  const ranges: [number, number][] = [[1, structure.mainTo]];
  for (const annex of structure.annexes) {
    if (annex.kind !== 'other') continue;
    ranges.push([annex.from, annex.to]);
    headings.set(annex.heading.line, annex.heading);
    if (annex.heading.titleLine !== undefined) skip.add(annex.heading.titleLine);
  }
  const anchors = uniqueAnchors([...headings.values()].sort((a, b) => a.line - b.line));
  const out: string[] = [];
  for (const [from, to] of ranges) {
    if (out.length > 0 && out.at(-1) !== '') out.push('');
    for (let number = from; number <= to; number += 1) {
      if (skip.has(number)) continue;
      const heading = headings.get(number);
      if (heading) {
        if (out.length > 0 && out.at(-1) !== '') out.push('');
        out.push(`${'#'.repeat(heading.level)} ${heading.text} {#${anchors.get(heading)!}}`, '');
        continue;
      }
      const line = (lines[number - 1] ?? '').replace(/^\s+/, '').replace(/^#{1,6}\s+/, '');
      if (line === '' && (out.length === 0 || out.at(-1) === '')) continue;
      out.push(line);
    }
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Anchors made unique in document order: a second "haftung" becomes "haftung-2". */
export function uniqueAnchors(headings: readonly Heading[]): Map<Heading, string> {
  const used = new Set<string>();
  const anchors = new Map<Heading, string>();
  for (const heading of headings) {
    let anchor = heading.anchor || 'abschnitt';
    for (let suffix = 2; used.has(anchor); suffix += 1) anchor = `${heading.anchor || 'abschnitt'}-${suffix}`;
    used.add(anchor);
    anchors.set(heading, anchor);
  }
  return anchors;
}
