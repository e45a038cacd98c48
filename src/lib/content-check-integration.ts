import type { AstroIntegration } from 'astro';
import { isPublishable } from '../domain/content-check.ts';
import { formatCheckReport } from './check-report.ts';
import { resolveBuildDate } from './build-date.ts';
import { handOverCheckedContent, treeSha256 } from './checked-content.ts';
import { CROSS_FILE_CHECKS_DEFERRED, judgeContentTree } from './content-files.ts';

/**
 * Runs `npm run check`'s validation before Astro loads any content, so `astro build` (and with
 * it `npm run build` and `npm start`) prints the same report — every problem of every file as
 * `file › field: reason` — instead of stopping at the first file Astro's loader rejects. A tree
 * that passes is handed to the publication (checked-content.ts), which then neither reads nor
 * judges it a second time.
 */
export function contentCheck(contentDir: string): AstroIntegration {
  return {
    name: 'trust-center:content-check',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        if (command !== 'build') return;
        const buildDate = resolveBuildDate();
        // Taken before the check reads the files, so a file changed meanwhile fails the hand-over, never the reverse.
        const tree = treeSha256(contentDir);
        const { loaded, verdict: result } = judgeContentTree(contentDir, buildDate);
        const report = formatCheckReport(result) + (result.crossFileChecksDeferred ? `\nNote: ${CROSS_FILE_CHECKS_DEFERRED}.` : '');
        if (!isPublishable(result)) {
          // Printed as is: Astro's error formatter would reflow the lines authors copy paths from.
          console.error(`\n${report}\n`);
          // Exit rather than throw: Astro would follow the report with its own "unhandled error"
          // and a stack trace into this file, which says nothing about the content.
          console.error('content check failed: nothing was built (`npm run check` prints the same report without building)');
          process.exit(1);
        }
        handOverCheckedContent(contentDir, buildDate, tree, { loaded, verdict: result });
        if (result.warnings.length > 0) logger.warn(report);
        else if (result.acknowledgedFindings.length > 0) logger.info(report);
      },
    },
  };
}
