import { describe, expect, it } from 'vitest';
import { documentStateOn } from '../src/domain/acceptance-document.ts';
import { offeredDocumentPeriods } from '../src/domain/document-states.ts';
import { subprocessorAsOf } from '../src/domain/subprocessor-as-of.ts';
import { inForceUnchangedSince } from '../src/domain/version-in-force.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { SubprocessorSchema } from '../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../src/schemas/tom.ts';
import { validAvv, validSubprocessor, validTomVersion } from './support/valid-entries.ts';

/**
 * A subprocessor updated twice: US storage until 2025-10-19, Ireland from 2025-10-20, a second
 * certification from 2026-03-01. Each earlier day keeps what held then.
 */
const updated = SubprocessorSchema.parse({
  ...validSubprocessor(),
  since: '2024-06-01',
  locations: [{ country: 'IE', city: 'Dublin' }],
  certifications: ['ISO/IEC 27001', 'SOC 2 Type II'],
  earlier: [
    { until: '2026-02-28', certifications: ['ISO/IEC 27001'] },
    { until: '2025-10-19', locations: [{ country: 'US', city: 'Ashburn' }] },
  ],
});

describe('a subprocessor as of a day', () => {
  it('puts back what each later update replaced, and nothing else', () => {
    expect(subprocessorAsOf(updated, '2025-10-19')).toMatchObject({ locations: [{ country: 'US', city: 'Ashburn' }], certifications: ['ISO/IEC 27001'] });
    expect(subprocessorAsOf(updated, '2025-10-20')).toMatchObject({ locations: [{ country: 'IE', city: 'Dublin' }], certifications: ['ISO/IEC 27001'] });
    expect(subprocessorAsOf(updated, '2026-03-01')).toMatchObject({ locations: [{ country: 'IE', city: 'Dublin' }], certifications: ['ISO/IEC 27001', 'SOC 2 Type II'] });
    expect(subprocessorAsOf(updated, '2026-03-01').name).toBe(updated.name);
  });

  it('starts a new document state on the day of each update, and the archived state holds the facts of its days', () => {
    const avv = AvvVersionSchema.parse({ ...validAvv(), effectiveDate: '2025-01-01' });
    const toms = TomVersionSchema.parse({ ...validTomVersion(), effectiveDate: '2024-01-01' });
    expect(offeredDocumentPeriods([avv], [toms, updated], '2026-06-01').map((period) => period.asOf)).toEqual(['2025-01-01', '2025-10-20', '2026-03-01']);
    expect(inForceUnchangedSince('2026-01-15', '2025-01-01', [toms, updated])).toBe('2025-10-20');
    const stateOn = (day: string) => documentStateOn(day, { ...avv, body: 'Text' }, [{ ...toms, body: '' }], [{ ...updated, slug: 'mailer' }])!.document.subprocessors[0]!;
    expect(stateOn('2025-01-01').locations).toEqual([{ country: 'US', city: 'Ashburn' }]);
    expect(stateOn('2025-10-20').locations).toEqual([{ country: 'IE', city: 'Dublin' }]);
    // The state holds the resolved facts, not the history they were resolved from.
    expect(stateOn('2025-01-01')).not.toHaveProperty('earlier');
  });

  it('refuses an earlier entry outside the engagement, twice for one day, or naming no field', () => {
    const problems = SubprocessorSchema.safeParse({
      ...validSubprocessor(),
      since: '2024-06-01',
      until: '2026-01-31',
      earlier: [{ until: '2024-01-01', purpose: 'Alt' }, { until: '2026-01-31', purpose: 'Alt' }, { until: '2025-05-05' }, { until: '2025-05-05', purpose: 'Alt' }],
    }).error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems).toEqual([
      'earlier.0.until: 2024-01-01 is before since (2024-06-01): nothing held then',
      'earlier.1.until: 2026-01-31 is not before until (2026-01-31): an update takes effect while the subprocessor is engaged',
      'earlier.2: names no field: list the fields whose values the update replaced',
      'earlier.3.until: two earlier entries end on 2025-05-05: list what one update replaced in one entry',
    ]);
  });
});
