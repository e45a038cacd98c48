import type { PublishedStateEntry } from '../schemas/published-states.ts';
import type { OfferedPeriod } from './document-states.ts';
import type { ContentProblem } from './publication-source.ts';

/**
 * The lock of published document states (`content/published-states.json`). The archive of
 * accepted documents is derived from the content (document-states.ts), so editing an offered
 * file in place would silently change the bytes — and the hash — of states customers accepted.
 * The lock records, per offered period, the state's SHA-256 and the hash of each file's part;
 * the check refuses content that no longer derives those states and names the file responsible.
 * Pure: the caller derives the states and hashes them (src/lib/document-state-fingerprints.ts).
 */

/** A state as the content derives it today, with the hashes the lock records. */
export interface StateFingerprint extends OfferedPeriod {
  /** SHA-256 of the state's canonical JSON. */
  sha256: string;
  /** SHA-256 of each content file's part of the state, by path inside the content folder. */
  parts: Record<string, string>;
}

/** The rules of the lock, for `npm run check -- --rules` and the report. */
export const STATE_LOCK_RULES = [
  {
    id: 'published-state-changed',
    level: 'error',
    fixHint:
      'a document state customers were offered must keep its bytes: restore the file as it was (git log -p -- <file>) and publish the change as a new AVV or TOMs version, or as a dated change (a subprocessor updated from a day on keeps the values it replaces under `earlier` with their last day; a new one gets its own file with `since`; one that ends gets `until`)',
  },
  {
    id: 'published-state-not-locked',
    level: 'warning',
    fixHint: 'run `npm run states:lock` and commit content/published-states.json, so later edits of the files it was made of are refused',
  },
] as const;
export type StateLockRuleId = (typeof STATE_LOCK_RULES)[number]['id'];

/** A problem of the lock check: an error (the build stops) or a warning (it goes on). */
export type StateLockProblem = ContentProblem & { rule: StateLockRuleId };

export interface StateLockVerdict {
  errors: StateLockProblem[];
  warnings: StateLockProblem[];
}

export interface StateLockInput {
  /** The lock file as messages name it. Example: "content/published-states.json". */
  lockFile: string;
  /** The content folder as messages name it, to turn part keys into file paths. Example: "content". */
  contentDir: string;
  /** The lock's entries; undefined when there is no lock file yet. */
  entries: readonly PublishedStateEntry[] | undefined;
  /** The states the content derives up to the build day, oldest first. */
  current: readonly StateFingerprint[];
  buildDate: string;
}

/** The last day an entry vouches for: its period's end, or the day it was written while the period ran. */
const lockedThrough = (entry: PublishedStateEntry) => entry.offeredUntil ?? entry.lockedOn;
const periodEnd = (period: OfferedPeriod, buildDate: string) => period.offeredUntil ?? buildDate;
const earlier = (a: string, b: string) => (a < b ? a : b);
const range = (from: string, until: string | undefined) => (until === undefined ? `from ${from}` : `${from} to ${until}`);

const sameState = (entry: PublishedStateEntry, state: StateFingerprint) => entry.avvVersion === state.avvVersion && entry.offeredFrom === state.offeredFrom && entry.sha256 === state.sha256;

/** How a file took part in a changed state. */
type Culprit = { key: string; how: 'edited' | 'added' | 'removed' };

/** The files whose part differs between the locked state and the one derived now. */
function culprits(locked: Record<string, string>, now: Record<string, string> | undefined): Culprit[] {
  if (now === undefined) {
    // The AVV version is no longer offered on those days: its file (or its successor's) moved its dates.
    return Object.keys(locked).filter((key) => key.startsWith('avv/')).map((key) => ({ key, how: 'removed' as const }));
  }
  const keys = [...new Set([...Object.keys(locked), ...Object.keys(now)])].sort();
  return keys.flatMap((key): Culprit[] => {
    if (!(key in now)) return [{ key, how: 'removed' }];
    if (!(key in locked)) return [{ key, how: 'added' }];
    return locked[key] === now[key] ? [] : [{ key, how: 'edited' }];
  });
}

const HOW: Record<Culprit['how'], string> = {
  edited: 'edited in place',
  added: 'now part of days already offered (its dates)',
  removed: 'no longer part of days already offered (removed, or its dates moved)',
};

/**
 * Compares the derived states with the lock: a locked day whose state is no longer the locked
 * one is an error, named at the file that changed it; an offered period the lock does not hold
 * yet is a warning, so a build on a later day never fails just because time passed.
 */
export function checkStatesLock({ lockFile, contentDir, entries = [], current, buildDate }: StateLockInput): StateLockVerdict {
  const byFile = new Map<string, { how: Set<string>; lines: string[] }>();
  const broken = new Set<StateFingerprint>();
  const blame = (key: string, how: string, line: string) => {
    const found = byFile.get(key) ?? { how: new Set<string>(), lines: [] };
    found.how.add(how);
    if (!found.lines.includes(line)) found.lines.push(line);
    byFile.set(key, found);
  };
  entries.forEach((entry, index) => {
    if (entry.offeredFrom > buildDate) return; // a build for an earlier day does not know those days yet
    const end = earlier(lockedThrough(entry), buildDate);
    const overlapping = current.filter((state) => state.avvVersion === entry.avvVersion && state.offeredFrom <= end && periodEnd(state, buildDate) >= entry.offeredFrom);
    const was = `AVV ${entry.avvVersion} offered ${range(entry.offeredFrom, entry.offeredUntil)} (${lockFile} › states[${index}]): locked ${entry.sha256}`;
    // The periods of one AVV version follow each other without gaps, so the ends tell the coverage.
    const firstFrom = overlapping.reduce((first, state) => (state.offeredFrom < first ? state.offeredFrom : first), end);
    const lastEnd = overlapping.reduce((latest, state) => (periodEnd(state, buildDate) > latest ? periodEnd(state, buildDate) : latest), '');
    if (overlapping.length === 0 || firstFrom > entry.offeredFrom || lastEnd < end) {
      const line = `${was}, but the content no longer offers AVV ${entry.avvVersion} on all of those days`;
      const found = culprits(entry.parts, undefined);
      for (const culprit of found) blame(culprit.key, HOW[culprit.how], line);
      if (found.length === 0) blame('', 'changed', line);
    }
    for (const state of overlapping.filter((candidate) => !sameState(entry, candidate))) {
      broken.add(state);
      const line = `${was}, the days ${range(state.offeredFrom > entry.offeredFrom ? state.offeredFrom : entry.offeredFrom, earlier(periodEnd(state, buildDate), end))} now derive ${state.sha256}`;
      const found = culprits(entry.parts, state.parts);
      for (const culprit of found) blame(culprit.key, HOW[culprit.how], line);
      if (found.length === 0) blame('', 'changed', line);
    }
  });
  const fix = STATE_LOCK_RULES[0].fixHint;
  const errors: StateLockProblem[] = [...byFile].map(([key, { how, lines }]) => ({
    rule: 'published-state-changed',
    file: key === '' ? lockFile : `${contentDir}/${key}`,
    field: '',
    message: `${key === '' ? 'the states derived now differ from the locked ones' : [...how].join(', ')}: this changes document states customers were offered: ${lines.join('; ')}. Fix: ${fix}`,
  }));

  const warnings: StateLockProblem[] = [];
  // The command for this tree, to copy: `npm run states:lock` for ./content, with --content-dir otherwise.
  const lockCommand = `npm run states:lock${contentDir === 'content' ? '' : ` -- --content-dir ${contentDir}`}`;
  const toLock = `run \`${lockCommand}\` and commit ${lockFile}, so later edits of the files it was made of are refused`;
  for (const state of current) {
    if (broken.has(state)) continue;
    const locked = entries.filter((entry) => sameState(entry, state));
    const through = locked.reduce((latest, entry) => (lockedThrough(entry) > latest ? lockedThrough(entry) : latest), '');
    const what = `AVV ${state.avvVersion} offered ${range(state.offeredFrom, state.offeredUntil)} (sha256 ${state.sha256})`;
    if (locked.length === 0) {
      warnings.push({ rule: 'published-state-not-locked', file: lockFile, field: '', message: `${what} is not locked yet: ${toLock}` });
    } else if (state.offeredUntil !== undefined && through < state.offeredUntil) {
      warnings.push({ rule: 'published-state-not-locked', file: lockFile, field: '', message: `${what} is locked only through ${through}: ${toLock}` });
    }
  }
  return { errors, warnings };
}

/**
 * What `npm run states:lock` appends: an entry for every offered period the lock does not hold
 * yet, and a closing one for a period that has ended since it was locked while running. Existing
 * entries are never touched.
 */
export function entriesToAppend(entries: readonly PublishedStateEntry[], current: readonly StateFingerprint[], lockedOn: string): PublishedStateEntry[] {
  return current.flatMap((state): PublishedStateEntry[] => {
    const locked = entries.filter((entry) => sameState(entry, state));
    const through = locked.reduce((latest, entry) => (lockedThrough(entry) > latest ? lockedThrough(entry) : latest), '');
    const complete = locked.length > 0 && (state.offeredUntil === undefined || through >= state.offeredUntil);
    return complete ? [] : [lockEntryFor(state, lockedOn)];
  });
}

/** The entry that locks a derived state as of `lockedOn` (its end only once the period has ended). */
export function lockEntryFor(state: StateFingerprint, lockedOn: string): PublishedStateEntry {
  return {
    avvVersion: state.avvVersion,
    offeredFrom: state.offeredFrom,
    ...(state.offeredUntil !== undefined && { offeredUntil: state.offeredUntil }),
    lockedOn,
    sha256: state.sha256,
    parts: state.parts,
  };
}
