import type { ImportedAvv } from '../import-document.ts';
import { yamlWithGaps, type Gap } from './gaps.ts';

/**
 * `toms/<version>.md` (content model: src/schemas/tom.ts) from the TOMs annex. A section whose
 * title names no Art. 32 category is written without `categories` (a gap): which category a
 * measure serves is the author's call, not the importer's.
 */
export function tomsFile(imported: ImportedAvv, stem: string): { path: string; content: string; gaps: Gap[] } | undefined {
  if (!imported.toms) return undefined;
  const path = `toms/${stem}.md`;
  const gaps: Gap[] = [];
  const { annex, sections } = imported.toms;
  const data: Record<string, unknown> = {};
  if (imported.version.found) data.version = imported.version.value;
  else gaps.push({ file: path, field: 'version', why: 'the document prints no version number; write the id of this TOMs version, e.g. "2026-01"' });
  data.title = annex.heading.title || annex.heading.number;
  gaps.push({ file: path, field: 'effectiveDate', why: 'the annex does not say from when the measures apply; write the date (YYYY-MM-DD)' });

  // When the measures were last reviewed (Art. 32(1)(d)) is a fact the annex would state, not the author's choice.
  data.reviewedDate = 'not-stated';
  data.sections = sections.map((section, index) => {
    const entry: Record<string, unknown> = { id: section.id, title: section.title.value };
    if (section.categories.found) entry.categories = section.categories.value;
    else gaps.push({ file: path, field: `sections[${index}].categories`, why: `${section.categories.reason} (line ${section.title.lines.from}); write the categories it covers` });
    if (section.description) entry.description = section.description.value;
    entry.measures = section.measures.map((measure) => measure.value);
    return entry;
  });
  if (sections.length === 0) gaps.push({ file: path, field: 'sections', why: `no sections recognised in ${annex.heading.text} (lines ${annex.from}–${annex.to}); copy them from the annex` });
  // The annex's own introduction is the TOMs page's preamble (the Markdown body), as written.
  const preamble = imported.toms.preamble.map((line) => line.value).join('\n\n');
  return { path, content: `---\n${yamlWithGaps(data, gaps)}---\n${preamble ? `\n${preamble}\n` : ''}`, gaps };
}
