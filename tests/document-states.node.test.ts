import { describe, expect, it } from 'vitest';
import { documentAsOfFor, offeredDocumentPeriods } from '../src/domain/document-states.ts';

const avv = [
  { version: '1.0', effectiveDate: '2025-01-01' },
  { version: '2.0', effectiveDate: '2026-01-01' },
  { version: '3.0', effectiveDate: '2027-06-01' },
];
const annexes = [
  { effectiveDate: '2024-06-01' }, // TOMs before any AVV: no transition inside a version
  { since: '2024-06-01' },
  { since: '2025-04-01', until: '2026-02-14' }, // in during 1.0, out during 2.0
  { effectiveDate: '2026-01-01' }, // TOMs change on the day 2.0 takes effect: one period, not two
  { since: '2026-12-28' },
  { since: '2027-03-01' }, // after the build day: not offered yet
];

describe('offered document periods', () => {
  it('splits each version at every annex transition up to the build day', () => {
    expect(offeredDocumentPeriods(avv, annexes, '2027-01-04')).toEqual([
      { avvVersion: '1.0', asOf: '2025-01-01', offeredFrom: '2025-01-01', offeredUntil: '2025-03-31' },
      { avvVersion: '1.0', asOf: '2025-04-01', offeredFrom: '2025-04-01', offeredUntil: '2025-12-31' },
      { avvVersion: '2.0', asOf: '2026-01-01', offeredFrom: '2026-01-01', offeredUntil: '2026-02-14' },
      { avvVersion: '2.0', asOf: '2026-02-15', offeredFrom: '2026-02-15', offeredUntil: '2026-12-27' },
      { avvVersion: '2.0', asOf: '2026-12-28', offeredFrom: '2026-12-28' },
    ]);
  });

  it('closes the current version once its successor is in force, and never lists an upcoming one', () => {
    const periods = offeredDocumentPeriods(avv, annexes, '2027-06-01');
    expect(periods.at(-2)).toEqual({ avvVersion: '2.0', asOf: '2027-03-01', offeredFrom: '2027-03-01', offeredUntil: '2027-05-31' });
    expect(periods.at(-1)).toEqual({ avvVersion: '3.0', asOf: '2027-06-01', offeredFrom: '2027-06-01' });
    expect(offeredDocumentPeriods(avv, annexes, '2024-12-31')).toEqual([]);
  });

  it('dates each version’s own document like the archived period it is', () => {
    const buildDate = '2027-01-04';
    const periods = offeredDocumentPeriods(avv, annexes, buildDate);
    // current: today's period; superseded: its last period; upcoming: its effective date.
    expect(documentAsOfFor(avv[1]!, avv[2]!.effectiveDate, annexes, buildDate)).toBe(periods.at(-1)!.asOf);
    expect(documentAsOfFor(avv[0]!, avv[1]!.effectiveDate, annexes, buildDate)).toBe('2025-04-01');
    expect(documentAsOfFor(avv[2]!, undefined, annexes, buildDate)).toBe('2027-06-01');
  });
});
