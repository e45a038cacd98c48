import { describe, expect, it } from 'vitest';
import { formatAcceptedAt } from '../src/lib/accepted-at.ts';

describe('formatAcceptedAt', () => {
  it.each([
    // Winter: Berlin is UTC+1; the Berlin day can differ from the UTC day.
    ['2026-11-23T23:30:05.123Z', 'de', '23.11.2026, 23:30:05 UTC', '24.11.2026, 00:30:05 MEZ'],
    // Summer: UTC+2.
    ['2026-07-01T10:00:00.000Z', 'de', '01.07.2026, 10:00:00 UTC', '01.07.2026, 12:00:00 MESZ'],
    ['2026-07-01T10:00:00.000Z', 'en', '01 Jul 2026, 10:00:00 UTC', '01 Jul 2026, 12:00:00 CEST'],
  ] as const)('%s (%s)', (iso, lang, utc, berlin) => {
    expect(formatAcceptedAt(iso, lang)).toEqual({ utc, berlin });
  });
});
