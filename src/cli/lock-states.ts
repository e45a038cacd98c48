import path from 'node:path';
import { parseArgs } from 'node:util';
import { berlinDateOf } from '../domain/calendar-date.ts';
import { resolveBuildDate } from '../lib/build-date.ts';
import { formatCheckReport } from '../lib/check-report.ts';
import { appendToStatesLock } from '../lib/published-states-lock-file.ts';

/**
 * `npm run states:lock [-- --content-dir DIR] [-- --build-date YYYY-MM-DD]`: appends to
 * `content/published-states.json` every document state offered up to the build day (default
 * today, never later) that it does not hold yet. It never rewrites an entry: content whose states differ from
 * the locked ones is refused here as in `npm run check`, and the lock stays as it was.
 */
const { values } = parseArgs({ options: { 'content-dir': { type: 'string' }, 'build-date': { type: 'string' } } });
const contentDir = path.resolve(values['content-dir'] ?? process.env.TRUST_CENTER_CONTENT_DIR ?? 'content');
const buildDate = values['build-date'] ?? resolveBuildDate();

// The lock says which states were offered: a day still to come was offered to nobody yet.
const today = berlinDateOf(new Date());
if (buildDate > today) {
  console.error(`Nothing was locked: ${buildDate} is after today (${today}), and only days already offered can be locked.`);
  process.exit(1);
}

const result = appendToStatesLock(contentDir, buildDate);
if (result.kind === 'refused') {
  console.error(`${formatCheckReport(result.verdict)}\n\nNothing was locked: fix the errors first (the lock is never rewritten).`);
  process.exit(1);
}
const { file, appended, total } = result;
if (appended.length === 0) {
  console.log(`${file}: all ${total} document state(s) offered up to ${buildDate} are locked already; nothing to add.`);
  process.exit(0);
}
for (const entry of appended) {
  console.log(`locked AVV ${entry.avvVersion} offered ${entry.offeredUntil ? `${entry.offeredFrom} to ${entry.offeredUntil}` : `from ${entry.offeredFrom} (still offered on ${buildDate})`}: ${entry.sha256}`);
}
console.log(`${file}: ${appended.length} entr${appended.length === 1 ? 'y' : 'ies'} appended; commit the file with the content.`);
