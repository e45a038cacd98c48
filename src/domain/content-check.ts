import { reportFindings, type AcknowledgedFindingReport, type Finding } from './findings.ts';
import type { ContentProblem, PublicationSource } from './publication-source.ts';
import { checkStatesLock, type StateLockProblem } from './published-states-lock.ts';
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
  /** Reported but not failing the build: offered document states not locked yet. */
  warnings: StateLockProblem[];
}

/** Cross-file errors and findings of a tree whose files each passed their schema. */
export function checkPublicationSource(source: PublicationSource): Omit<ContentCheckResult, 'errors'> & { errors: ContentProblem[] } {
  const report = reportFindings(source);
  const errors = [...validatePublication(source), ...report.staleAcknowledgements];
  const lock = source.publishedStates
    ? checkStatesLock({ lockFile: source.publishedStates.file, contentDir: source.contentDir, entries: source.publishedStates.entries, current: source.publishedStates.current, buildDate: source.buildDate })
    : { errors: [], warnings: [] };
  return {
    errors: [...errors, ...lock.errors],
    openFindings: report.open,
    acknowledgedFindings: report.acknowledged,
    warnings: lock.warnings,
  };
}

/** Whether the tree may be published: no errors and no unacknowledged finding. */
export function isPublishable(result: ContentCheckResult): boolean {
  return result.errors.length === 0 && result.openFindings.length === 0;
}
