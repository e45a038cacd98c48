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
