import { dump } from 'js-yaml';

/**
 * A required field the importer left out because the document does not give it and the
 * content model has no `not-stated` for it (a date, an id, a contact): `npm run check` then
 * names it, and IMPORT-REVIEW.md says why.
 */
export interface Gap {
  /** Content file, relative to the draft's root. Example: "avv/1.md". */
  file: string;
  /** Field path as the check prints it. Example: "effectiveDate". */
  field: string;
  /** Why it is empty and what the author should write. */
  why: string;
}

/** YAML of `data`, followed by one comment line per gap of this file so the author sees them in place. */
export function yamlWithGaps(data: unknown, gaps: readonly Gap[]): string {
  const yaml = dump(data, { lineWidth: -1, noRefs: true });
  if (gaps.length === 0) return yaml;
  const notes = gaps.map((gap) => `# ${gap.field}: ${gap.why}`).join('\n');
  return `${yaml}# Left out by the importer (npm run check lists each):\n${notes}\n`;
}
