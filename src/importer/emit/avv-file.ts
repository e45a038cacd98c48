import { avvMarkdownBody } from '../avv-markdown.ts';
import type { ImportedAvv } from '../import-document.ts';
import { changeRulesOf } from './change-rules.ts';
import { yamlWithGaps, type Gap } from './gaps.ts';

/** `avv/<version>.md` (content model: src/schemas/avv.ts): frontmatter and the contract text. */
export function avvFile(imported: ImportedAvv, stem: string): { path: string; content: string; gaps: Gap[] } {
  const path = `avv/${stem}.md`;
  const gaps: Gap[] = [];
  const data: Record<string, unknown> = {};
  if (imported.version.found) data.version = imported.version.value;
  else gaps.push({ file: path, field: 'version', why: 'the document prints no version number; write the id customers will accept, e.g. "1.0" (quoted)' });
  if (imported.title.found) data.title = imported.title.value;
  else gaps.push({ file: path, field: 'title', why: `${imported.title.reason}; write the contract's title` });
  gaps.push({ file: path, field: 'effectiveDate', why: 'write the day from which this version governs (YYYY-MM-DD); the document text does not fix it' });
  gaps.push({ file: path, field: 'publishedDate', why: 'write the day this version is first published on the site (YYYY-MM-DD)' });
  data.language = isGerman(imported.source.lines) ? 'de' : 'en';
  data.changeSummary = [];
  const rules = changeRulesOf(imported.changeRegime, path);
  data.changeRules = rules.changeRules;
  gaps.push(...rules.gaps);
  return { path, content: `---\n${yamlWithGaps(data, gaps)}---\n\n${avvMarkdownBody(imported)}`, gaps };
}

function isGerman(lines: readonly string[]): boolean {
  const text = lines.join(' ');
  const german = text.match(/\b(der|die|und|des|wird|Auftragsverarbeiter)\b/g)?.length ?? 0;
  const english = text.match(/\b(the|and|of|shall|processor)\b/g)?.length ?? 0;
  return german >= english;
}
