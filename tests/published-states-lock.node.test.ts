import { describe, expect, it } from 'vitest';
import { checkStatesLock, entriesToAppend, lockEntryFor, type StateFingerprint } from '../src/domain/published-states-lock.ts';
import type { PublishedStateEntry } from '../src/schemas/published-states.ts';

// Hand-made hashes: one hex digit repeated, so every expected value is written out below.
const h = (digit: string) => digit.repeat(64);

/** AVV 2.0 offered from 2026-01-01; a second state from 2026-03-16 once `neu` came into force. */
const first: StateFingerprint = { avvVersion: '2.0', asOf: '2026-01-01', offeredFrom: '2026-01-01', offeredUntil: '2026-03-15', sha256: h('1'), parts: { 'avv/2.0.md': h('a'), 'toms/2026-01.md': h('b'), 'subprocessors/alt.yaml': h('c') } };
const second: StateFingerprint = { avvVersion: '2.0', asOf: '2026-03-16', offeredFrom: '2026-03-16', sha256: h('2'), parts: { ...first.parts, 'subprocessors/neu.yaml': h('d') } };

const entryOf = lockEntryFor;
const check = (entries: PublishedStateEntry[] | undefined, current: StateFingerprint[], buildDate = '2026-11-23') =>
  checkStatesLock({ lockFile: 'content/published-states.json', contentDir: 'content', entries, current, buildDate });

describe('the lock of published document states', () => {
  it('passes when every offered state is locked with its hash, also on later build days', () => {
    const lock = [entryOf(first, '2026-11-23'), entryOf(second, '2026-11-23')];
    expect(check(lock, [first, second])).toEqual({ errors: [], warnings: [] });
    expect(check(lock, [first, second], '2027-02-01')).toEqual({ errors: [], warnings: [] });
  });

  it('names the file edited in place, the period, the old and the new hash, as an error with its rule id', () => {
    const edited = { ...second, sha256: h('9'), parts: { ...second.parts, 'subprocessors/alt.yaml': h('8') } };
    const editedFirst = { ...first, sha256: h('7'), parts: { ...first.parts, 'subprocessors/alt.yaml': h('8') } };
    const { errors, warnings } = check([entryOf(first, '2026-11-23'), entryOf(second, '2026-11-23')], [editedFirst, edited]);
    expect(warnings).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: 'published-state-changed', file: 'content/subprocessors/alt.yaml', field: '' });
    expect(errors[0]!.message).toContain('edited in place');
    expect(errors[0]!.message).toContain(`AVV 2.0 offered 2026-01-01 to 2026-03-15 (content/published-states.json › states[0]): locked ${h('1')}, the days 2026-01-01 to 2026-03-15 now derive ${h('7')}`);
    expect(errors[0]!.message).toContain(`AVV 2.0 offered from 2026-03-16 (content/published-states.json › states[1]): locked ${h('2')}, the days 2026-03-16 to 2026-11-23 now derive ${h('9')}`);
    expect(errors[0]!.message).toContain('restore the file as it was');
  });

  it('names a file whose dates put it into days already offered (a split of a locked period)', () => {
    // `spaet.yaml` was given a `since` inside the locked second period: from 2026-06-01 a new state.
    const shortened = { ...second, offeredUntil: '2026-05-31' };
    const inserted: StateFingerprint = { avvVersion: '2.0', asOf: '2026-06-01', offeredFrom: '2026-06-01', sha256: h('5'), parts: { ...second.parts, 'subprocessors/spaet.yaml': h('e') } };
    const { errors } = check([entryOf(first, '2026-11-23'), entryOf(second, '2026-11-23')], [first, shortened, inserted]);
    expect(errors.map((error) => [error.file, error.rule])).toEqual([['content/subprocessors/spaet.yaml', 'published-state-changed']]);
    expect(errors[0]!.message).toContain('now part of days already offered');
    expect(errors[0]!.message).toContain(`the days 2026-06-01 to 2026-11-23 now derive ${h('5')}`);
  });

  it('names the AVV file when its version is no longer offered on locked days', () => {
    const later = { ...first, offeredFrom: '2026-02-01', asOf: '2026-02-01', sha256: h('6') };
    const { errors } = check([entryOf(first, '2026-11-23')], [later, second]);
    // The later start also re-dates the state (its asOf) without any file's part changing: named at the lock.
    expect(errors.map((error) => error.file)).toEqual(['content/avv/2.0.md', 'content/published-states.json']);
    expect(errors[0]!.message).toContain('no longer offers AVV 2.0 on all of those days');
  });

  it('warns, without failing, about offered periods not locked yet and about ends locked only while running', () => {
    const { errors, warnings } = check(undefined, [first, second]);
    expect(errors).toEqual([]);
    expect(warnings.map((warning) => [warning.rule, warning.file])).toEqual([
      ['published-state-not-locked', 'content/published-states.json'],
      ['published-state-not-locked', 'content/published-states.json'],
    ]);
    expect(warnings[1]!.message).toBe(`AVV 2.0 offered from 2026-03-16 (sha256 ${h('2')}) is not locked yet: run \`npm run states:lock\` and commit content/published-states.json, so later edits of the files it was made of are refused`);

    // Locked on 2026-11-23 while still offered; on 2027-02-01 it has ended (a third state began).
    const ended = { ...second, offeredUntil: '2027-01-10' };
    const third: StateFingerprint = { avvVersion: '2.0', asOf: '2027-01-11', offeredFrom: '2027-01-11', sha256: h('3'), parts: second.parts };
    const later = check([entryOf(first, '2026-11-23'), entryOf(second, '2026-11-23')], [first, ended, third], '2027-02-01');
    expect(later.errors).toEqual([]);
    expect(later.warnings.map((warning) => warning.message.split(':')[0])).toEqual([
      `AVV 2.0 offered 2026-03-16 to 2027-01-10 (sha256 ${h('2')}) is locked only through 2026-11-23`,
      `AVV 2.0 offered from 2027-01-11 (sha256 ${h('3')}) is not locked yet`,
    ]);
  });

  it('does not judge locked days after the build day (a test build for an earlier day)', () => {
    const stillRunning = { ...first, offeredUntil: undefined };
    expect(check([entryOf(first, '2026-12-02'), entryOf(second, '2026-12-02')], [stillRunning], '2026-02-10')).toEqual({ errors: [], warnings: [] });
  });

  it('only appends: new periods, and the end of one locked while it ran; never an existing entry', () => {
    const running = entryOf(second, '2026-11-23');
    const ended = { ...second, offeredUntil: '2027-01-10' };
    const third: StateFingerprint = { avvVersion: '2.0', asOf: '2027-01-11', offeredFrom: '2027-01-11', sha256: h('3'), parts: second.parts };
    const lock = [entryOf(first, '2026-11-23'), running];
    expect(entriesToAppend(lock, [first, second], '2026-12-01')).toEqual([]);
    expect(entriesToAppend(lock, [first, ended, third], '2027-02-01')).toEqual([
      { avvVersion: '2.0', offeredFrom: '2026-03-16', offeredUntil: '2027-01-10', lockedOn: '2027-02-01', sha256: h('2'), parts: second.parts },
      { avvVersion: '2.0', offeredFrom: '2027-01-11', lockedOn: '2027-02-01', sha256: h('3'), parts: second.parts },
    ]);
    const appended = [...lock, ...entriesToAppend(lock, [first, ended, third], '2027-02-01')];
    expect(check(appended, [first, ended, third], '2027-02-01')).toEqual({ errors: [], warnings: [] });
  });
});
