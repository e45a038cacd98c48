import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ContentCheckResult } from '../domain/content-check.ts';
import { entriesToAppend } from '../domain/published-states-lock.ts';
import type { PublishedStateEntry, PublishedStatesLock } from '../schemas/published-states.ts';
import { judgeContentTree, STATES_LOCK_FILE } from './content-files.ts';

/** What appending to a content tree's lock did. */
export type LockAppendResult =
  /** The content has errors: nothing was written (the lock is never rewritten). */
  | { kind: 'refused'; verdict: ContentCheckResult }
  /** `appended` entries were written to `file` (none: every offered state was locked already). */
  | { kind: 'locked'; file: string; appended: PublishedStateEntry[]; total: number };

/**
 * Appends to `<contentDir>/published-states.json` every document state offered up to
 * `buildDate` that it does not hold yet, as `npm run states:lock` does (src/cli/lock-states.ts);
 * the bench locks its generated content the same way, so it builds what a deployment builds.
 * Content whose offered states differ from the locked ones is refused, and nothing is written.
 */
export function appendToStatesLock(contentDir: string, buildDate: string): LockAppendResult {
  const { loaded: { source }, verdict } = judgeContentTree(contentDir, buildDate);
  // Open findings do not stop a lock: they are about the paperwork, not about what was offered.
  if (verdict.errors.length > 0 || !source.publishedStates) return { kind: 'refused', verdict: { ...verdict, openFindings: [] } };
  const { file, entries = [], current } = source.publishedStates;
  const appended = entriesToAppend(entries, current, buildDate);
  if (appended.length > 0) {
    const lock: PublishedStatesLock = { format: 'trust-center/published-states@1', states: [...entries, ...appended] };
    writeFileSync(path.join(contentDir, STATES_LOCK_FILE), `${JSON.stringify(lock, null, 2)}\n`);
  }
  return { kind: 'locked', file, appended, total: current.length };
}
