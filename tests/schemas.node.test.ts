import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AcceptanceWordingSchema } from '../src/schemas/acceptance-wording.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { ChangeSchema } from '../src/schemas/change.ts';
import { SubprocessorSchema } from '../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../src/schemas/tom.ts';
import { VendorSchema } from '../src/schemas/vendor.ts';
import { validAvv, validChange, validSubprocessor, validTomVersion, validVendor } from './support/valid-entries.ts';

/** The issues a schema reports, as "path: message" lines, which is what the build prints. */
function issuesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('valid entries pass', () => {
  it.each([
    ['subprocessor', SubprocessorSchema, validSubprocessor()],
    ['change', ChangeSchema, validChange()],
    ['AVV version', AvvVersionSchema, validAvv()],
    ['vendor', VendorSchema, validVendor()],
    ['TOMs version', TomVersionSchema, validTomVersion()],
  ])('%s', (_name, schema, input) => {
    expect(issuesOf(schema, input)).toEqual([]);
  });

  it('accepts an AVV that names no fixed periods ("rechtzeitig vorab")', () => {
    const avv = { ...validAvv(), noticePolicy: { noticeWording: 'rechtzeitig vorab' } };
    const parsed = AvvVersionSchema.parse(avv);
    expect(parsed.noticePolicy.noticePeriod).toBeUndefined();
    expect(parsed.noticePolicy.rules).toEqual({ holidayRegion: 'BUND', shiftToNextWorkingDay: true });
  });

  it('normalises YAML dates to calendar-date strings without shifting the day', () => {
    const parsed = ChangeSchema.parse({ ...validChange(), announcedDate: new Date('2026-11-20T00:00:00Z') });
    expect(parsed.announcedDate).toBe('2026-11-20');
  });
});

describe('each invalid entry gives its precise error', () => {
  const cases: Array<[string, z.ZodType, unknown, string]> = [
    ['subprocessor without name', SubprocessorSchema, { ...validSubprocessor(), name: undefined }, 'name: Invalid input: expected string, received undefined'],
    ['US location without transfer mechanism', SubprocessorSchema, { ...validSubprocessor(), transfers: [] }, 'transfers: location US is outside the EU/EEA and needs a transfer mechanism'],
    ['transfer mechanism for another country only', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'scc', sccModule: 3, country: 'IN' }] }, 'transfers: location US is outside the EU/EEA'],
    ['SCC without module', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'scc' }] }, 'transfers.0.sccModule: SCC transfers must name the module (1–4)'],
    ['SCC module 5', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'scc', sccModule: 5 }] }, 'transfers.0.sccModule: Too big'],
    ['adequacy claimed for a country without one', SubprocessorSchema, { ...validSubprocessor(), locations: [{ country: 'IN' }], transfers: [{ type: 'adequacy' }] }, 'transfers: IN has no EU adequacy decision'],
    ['DPF for a non-US location', SubprocessorSchema, { ...validSubprocessor(), locations: [{ country: 'IN' }], transfers: [{ type: 'eu-us-dpf' }] }, 'transfers: eu-us-dpf covers only transfers to US, not IN'],
    ['Art. 49 without a note', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'art49' }] }, 'transfers.0.note: an Art. 49 derogation must say which one in a note'],
    ['lower-case country code', SubprocessorSchema, { ...validSubprocessor(), locations: [{ country: 'de' }] }, 'locations.0.country: expected an ISO 3166-1 alpha-2 code such as "DE"'],
    ['no locations', SubprocessorSchema, { ...validSubprocessor(), locations: [] }, 'locations: Too small'],
    ['impossible date', SubprocessorSchema, { ...validSubprocessor(), since: '2026-02-30' }, 'since: "2026-02-30" is not a calendar date (expected YYYY-MM-DD)'],
    ['until before since', SubprocessorSchema, { ...validSubprocessor(), until: '2020-01-01' }, 'until: until (2020-01-01) is before since (2024-06-01)'],
    ['unknown field (typo)', SubprocessorSchema, { ...validSubprocessor(), loactions: [] }, ': Unrecognized key: "loactions"'],
    ['change of unknown kind', ChangeSchema, { ...validChange(), kind: 'swap' }, 'kind: Invalid option'],
    ['replace without replaces', ChangeSchema, { ...validChange(), kind: 'replace' }, 'replaces: a replace change must name the subprocessors it replaces'],
    ['replaces on an add', ChangeSchema, { ...validChange(), replaces: ['alt'] }, 'replaces: replaces is only meaningful for kind "replace", not "add"'],
    ['effective before announced', ChangeSchema, { ...validChange(), effectiveDate: '2026-11-01' }, 'effectiveDate: effective date 2026-11-01 is before the announcement 2026-11-20'],
    ['subprocessor slug with capitals', ChangeSchema, { ...validChange(), subprocessors: ['Support-Neu'] }, 'subprocessors.0: expected a subprocessor slug'],
    ['notice period of zero', AvvVersionSchema, { ...validAvv(), noticePolicy: { noticePeriod: { amount: 0, unit: 'weeks' } } }, 'noticePolicy.noticePeriod.amount: Too small'],
    ['unknown period unit', AvvVersionSchema, { ...validAvv(), noticePolicy: { noticePeriod: { amount: 2, unit: 'fortnights' } } }, 'noticePolicy.noticePeriod.unit: Invalid option'],
    ['unknown holiday region', AvvVersionSchema, { ...validAvv(), noticePolicy: { rules: { holidayRegion: 'XX' } } }, 'noticePolicy.rules.holidayRegion: Invalid option'],
    ['version id with a slash', AvvVersionSchema, { ...validAvv(), version: '2/0' }, 'version: expected a version id such as "2.0" or "2026-03"'],
    ['vendor DPO email malformed', VendorSchema, { ...validVendor(), dataProtectionOfficer: { name: 'X', email: 'not-an-email' } }, 'dataProtectionOfficer.email: Invalid email address'],
    ['security contact without scheme', VendorSchema, { ...validVendor(), security: { contact: 'security@x.example', expires: '2030-01-01' } }, 'security.contact: expected a mailto:, https:// or tel: URI'],
    ['TOMs section of unknown category', TomVersionSchema, { ...validTomVersion(), sections: [{ id: 'x', title: 'X', categories: ['magic'], measures: ['m'] }] }, 'sections.0.categories.0: Invalid option'],
    ['TOMs section without measures', TomVersionSchema, { ...validTomVersion(), sections: [{ id: 'x', title: 'X', categories: ['review'], measures: [] }] }, 'sections.0.measures: Too small'],
  ];

  it.each(cases)('%s', (_name, schema, input, expected) => {
    const issues = issuesOf(schema, input);
    expect(issues.some((issue) => issue.startsWith(expected)), `issues were:\n${issues.join('\n')}`).toBe(true);
  });
});

describe('AcceptanceWordingSchema', () => {
  const valid = { version: '1', effectiveDate: '2025-01-01', text: { de: 'Ich bin berechtigt, das Unternehmen zu vertreten.', en: 'I am authorised to represent the company.' } };

  it('accepts a wording in German and English', () => {
    expect(AcceptanceWordingSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    [{ ...valid, text: { en: valid.text.en } }, 'text.de'],
    [{ ...valid, text: { de: 'Zu kurz.' } }, 'text.de'],
    [{ ...valid, text: { de: `${valid.text.de}\n\nZweiter Absatz.` } }, 'text.de'],
    [{ ...valid, version: 'v 1' }, 'version'],
    [{ ...valid, effectiveDate: '2025-02-30' }, 'effectiveDate'],
    [{ ...valid, extra: true }, ''],
  ])('rejects %j at %s', (input, path) => {
    const result = AcceptanceWordingSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
