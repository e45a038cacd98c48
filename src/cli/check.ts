import path from 'node:path';
import { parseArgs } from 'node:util';
import { isPublishable } from '../domain/content-check.ts';
import { checkReportJson, formatCheckReport } from '../lib/check-report.ts';
import { FINDING_RULES } from '../domain/finding-rules.ts';
import { STATE_LOCK_RULES } from '../domain/published-states-lock.ts';
import { resolveBuildDate } from '../lib/build-date.ts';
import { CROSS_FILE_CHECKS_DEFERRED, checkContentTree } from '../lib/content-files.ts';

/**
 * `npm run check [-- --json] [-- --content-dir DIR] [-- --rules]`: validates the content tree
 * without building (every file, every problem, one run) and exits 1 on errors or unacknowledged
 * findings, 0 otherwise. The build runs the same check first (src/lib/content-check-integration.ts).
 */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    rules: { type: 'boolean' },
    'content-dir': { type: 'string' },
    'build-date': { type: 'string' },
  },
});

if (values.rules) {
  for (const rule of FINDING_RULES) console.log(`${rule.id} (${rule.severity}, ${rule.legalReference}): ${rule.fixHint}`);
  for (const rule of STATE_LOCK_RULES) console.log(`${rule.id} (${rule.level}): ${rule.fixHint}`);
  process.exit(0);
}

const contentDir = path.resolve(values['content-dir'] ?? process.env.TRUST_CENTER_CONTENT_DIR ?? 'content');
const buildDate = values['build-date'] ?? resolveBuildDate();
const result = checkContentTree(contentDir, buildDate);
if (values.json) {
  console.log(checkReportJson(result));
} else {
  console.log(formatCheckReport(result));
  if (result.crossFileChecksDeferred) console.log(`\nNote: ${CROSS_FILE_CHECKS_DEFERRED}.`);
}
process.exit(isPublishable(result) ? 0 : 1);
