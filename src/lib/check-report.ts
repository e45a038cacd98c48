import { isPublishable, type ContentCheckResult } from '../domain/content-check.ts';
import type { Finding } from '../domain/findings.ts';
import type { ContentProblem } from '../domain/publication-source.ts';
import { findingMessage } from '../i18n/finding-text.ts';

/**
 * The check's verdict as `npm run check`, the build and `npm start` print it for authors: in
 * English, like the content errors and the schema messages it lists, one line per problem.
 */

const location = ({ file, field }: { file: string; field: string }) => `${file}${field ? ` › ${field}` : ''}`;

/** One line per problem: `  path/to/file.yaml › field.path: reason`. */
export function formatProblemLine(problem: ContentProblem): string {
  // A message may carry a YAML example; its lines are indented under the problem.
  return `  ${location(problem)}: ${problem.message.replace(/\n/g, '\n      ')}${problem.rule ? ` [${problem.rule}]` : ''}`;
}

/** One line per finding, with rule id, severity and reference; the fix hint on the next line. */
export function formatFindingLine(found: Finding): string {
  return `  ${location(found)}: ${findingMessage(found, 'en')} [${found.rule}, ${found.severity}, ${found.legalReference}]`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The report `npm run check` and the build print: every problem of every file, at once. */
export function formatCheckReport(result: ContentCheckResult): string {
  const lines: string[] = [];
  if (isPublishable(result)) {
    lines.push(`The content can be published (${plural(result.acknowledgedFindings.length, 'acknowledged finding')}).`);
  } else {
    lines.push(`The content cannot be published: ${plural(result.errors.length, 'error')}, ${plural(result.openFindings.length, 'unacknowledged finding')}.`);
  }
  if (result.errors.length > 0) lines.push('', 'Errors:', ...result.errors.map(formatProblemLine));
  if (result.openFindings.length > 0) {
    lines.push('', 'Findings (fix them, or acknowledge each in its file under acknowledgedFindings with rule and reason):');
    for (const found of result.openFindings) lines.push(formatFindingLine(found), `      fix: ${found.fixHint}`);
  }
  if (result.acknowledgedFindings.length > 0) {
    lines.push('', 'Acknowledged findings (published with the reason):');
    for (const found of result.acknowledgedFindings) lines.push(formatFindingLine(found), `      reason: ${found.reason}`);
  }
  if (result.warnings.length > 0) {
    lines.push('', 'Warnings (the build goes on):', ...result.warnings.map(formatProblemLine));
  }
  return lines.join('\n');
}

/** The same verdict for tools (`npm run check -- --json`). */
export function checkReportJson(result: ContentCheckResult): string {
  const worded = <T extends Finding>(found: T) => ({ ...found, message: findingMessage(found, 'en') });
  return JSON.stringify({ publishable: isPublishable(result), errors: result.errors, findings: result.openFindings.map(worded), acknowledgedFindings: result.acknowledgedFindings.map(worded), warnings: result.warnings }, null, 2);
}
