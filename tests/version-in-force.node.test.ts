import { describe, expect, it } from 'vitest';
import { inForceOn, inForceUnchangedSince, versionInForceOn } from '../src/domain/version-in-force.ts';

const versions = [{ effectiveDate: '2025-01-01' }, { effectiveDate: '2024-06-01' }, { effectiveDate: '2027-01-01' }];

describe('versionInForceOn', () => {
  it.each([
    ['2026-11-23', '2025-01-01'],
    ['2025-01-01', '2025-01-01'],
    ['2024-12-31', '2024-06-01'],
    ['2027-01-01', '2027-01-01'],
    // Before the first version took effect, the first one governs.
    ['2020-01-01', '2024-06-01'],
  ])('on %s the version effective %s governs', (day, expected) => {
    expect(versionInForceOn(versions, day)?.effectiveDate).toBe(expected);
  });
});

describe('inForceOn', () => {
  it.each([
    [{ since: '2025-01-01' }, '2024-12-31', false],
    [{ since: '2025-01-01' }, '2025-01-01', true],
    [{ since: '2025-01-01', until: '2025-06-30' }, '2025-06-30', true],
    [{ since: '2025-01-01', until: '2025-06-30' }, '2025-07-01', false],
  ])('%o on %s → %s', (entry, day, expected) => {
    expect(inForceOn(entry, day)).toBe(expected);
  });
});

describe('inForceUnchangedSince', () => {
  const annexes = [
    { effectiveDate: '2026-01-01' },
    { since: '2025-03-01' },
    { since: '2026-02-15', until: '2026-06-30' },
    { since: '2027-01-11' },
  ];
  it.each([
    // The last transition up to the day: the removal takes effect the day after `until`.
    ['2026-11-23', '2026-01-01', '2026-07-01'],
    ['2026-06-30', '2026-01-01', '2026-02-15'],
    ['2026-02-14', '2026-01-01', '2026-01-01'],
    // Never earlier than the AVV version's own effective date.
    ['2026-11-23', '2026-09-01', '2026-09-01'],
    // Future entries do not date today's document.
    ['2027-01-10', '2026-01-01', '2026-07-01'],
    ['2027-01-11', '2026-01-01', '2027-01-11'],
  ])('on %s (AVV from %s) the document is unchanged since %s', (day, from, expected) => {
    expect(inForceUnchangedSince(day, from, annexes)).toBe(expected);
  });

  it('gives the same date on every day between two transitions', () => {
    const days = ['2026-07-01', '2026-08-15', '2026-12-31', '2027-01-10'];
    expect(new Set(days.map((day) => inForceUnchangedSince(day, '2026-01-01', annexes)))).toEqual(new Set(['2026-07-01']));
  });
});
