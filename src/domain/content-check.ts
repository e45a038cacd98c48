import { reportFindings, type AcknowledgedFindingReport, type Finding } from './findings.ts';
import type { ContentProblem, PublicationSource } from './publication-source.ts';
import { validatePublication } from './validate-publication.ts';

/**
 * The verdict on a whole content tree, shared by `npm run check`, the build's pre-check and the
 * publication: errors (broken or contradictory content), open findings (legal gaps nobody
 * acknowledged) and acknowledged findings (published, with the author's reason).
 */
export interface ContentCheckResult {
  errors: ContentProblem[];
  openFindings: Finding[];
  acknowledgedFindings: AcknowledgedFindingReport[];
}

/** Cross-file errors and findings of a tree whose files each passed their schema. */
export function checkPublicationSource(source: PublicationSource): Omit<ContentCheckResult, 'errors'> & { errors: ContentProblem[] } {
  const report = reportFindings(source);
  return {
    errors: [...validatePublication(source), ...report.staleAcknowledgements],
    openFindings: report.open,
    acknowledgedFindings: report.acknowledged,
  };
}

/** Whether the tree may be published: no errors and no unacknowledged finding. */
export function isPublishable(result: ContentCheckResult): boolean {
  return result.errors.length === 0 && result.openFindings.length === 0;
}

const location = ({ file, field }: { file: string; field: string }) => `${file}${field ? ` › ${field}` : ''}`;

/** One line per problem: `  path/to/file.yaml › field.path: reason`. */
export function formatProblemLine(problem: ContentProblem): string {
  // A message may carry a YAML example; its lines are indented under the problem.
  return `  ${location(problem)}: ${problem.message.replace(/\n/g, '\n      ')}`;
}

/** One line per finding, with rule id, severity and reference; the fix hint on the next line. */
export function formatFindingLine(found: Finding): string {
  return `  ${location(found)}: ${found.message} [${found.rule}, ${found.severity}, ${found.legalReference}]`;
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
  return lines.join('\n');
}

/** The same verdict for tools (`npm run check -- --json`). */
export function checkReportJson(result: ContentCheckResult): string {
  return JSON.stringify({ publishable: isPublishable(result), errors: result.errors, findings: result.openFindings, acknowledgedFindings: result.acknowledgedFindings }, null, 2);
}
