import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AcceptanceWordingSchema } from '../src/schemas/acceptance-wording.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { ChangeSchema } from '../src/schemas/change.ts';
import { SubprocessorSchema } from '../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../src/schemas/tom.ts';
import { VendorSchema } from '../src/schemas/vendor.ts';
import { zodProblems } from '../src/domain/zod-problems.ts';
import { validAvv, validChange, validChangeRule, validSubprocessor, validTomVersion, validVendor } from './support/valid-entries.ts';

/** The issues a schema reports, as "field: message" lines, which is what the check and the build print. */
function issuesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input, { reportInput: true });
  return result.success ? [] : zodProblems(result.error, input).map(({ field, message }) => `${field}: ${message}`);
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

  it('accepts an AVV that names no fixed periods ("rechtzeitig vorab") and facts it does not state', () => {
    const rule = { ...validChangeRule(), noticePeriod: { wording: 'rechtzeitig vorab' }, responsePeriod: 'not-stated', form: 'not-stated', consequence: 'not-stated' };
    const parsed = AvvVersionSchema.parse({ ...validAvv(), changeRules: [rule] });
    expect(parsed.changeRules).not.toBe('not-stated');
    const [first] = parsed.changeRules as Exclude<typeof parsed.changeRules, 'not-stated'>;
    expect(first!.noticePeriod).toEqual({ wording: 'rechtzeitig vorab' });
    expect(first!.responsePeriod).toBe('not-stated');
  });

  it('accepts an AVV without change rules when it is recorded as not-stated', () => {
    expect(AvvVersionSchema.parse({ ...validAvv(), changeRules: 'not-stated' }).changeRules).toBe('not-stated');
  });

  it('accepts a subprocessor whose AVV entry states only the seat (Hanau, Deutschland)', () => {
    const parsed = SubprocessorSchema.parse({
      ...validSubprocessor(),
      address: { street: 'not-stated', postalCode: 'not-stated', city: 'Hanau', country: 'DE' },
      dataCategories: 'not-stated',
      dataSubjects: 'not-stated',
      locations: 'not-stated',
      transfers: undefined,
      since: 'not-stated',
    });
    expect(parsed.locations).toBe('not-stated');
    expect(parsed.since).toBe('not-stated');
  });

  it('carries qualified mappings, several groups, region-wide locations and onward transfers', () => {
    const parsed = SubprocessorSchema.parse({
      ...validSubprocessor(),
      groups: ['Public Cloud', { de: 'Backup' }],
      dataCategories: ['kontaktdaten', { id: 'inhaltsdaten', qualifier: 'verschlüsselt' }],
      locations: [{ country: 'EU', role: 'secondary' }, { country: 'US', role: 'remote-access' }],
      onwardTransfers: [{ name: 'Callcenter Pune', country: 'IN', transfers: [{ type: 'scc', sccModule: 'not-stated' }] }],
      transfers: [{ type: 'privacy-shield', country: 'US' }],
    });
    expect(parsed.groups).toEqual([{ de: 'Public Cloud' }, { de: 'Backup' }]);
    expect(parsed.dataCategories).toEqual([{ id: 'kontaktdaten' }, { id: 'inhaltsdaten', qualifier: { de: 'verschlüsselt' } }]);
    expect(parsed.onwardTransfers[0]!.transfers).toEqual([{ type: 'scc', sccModule: 'not-stated' }]);
  });

  it('normalises YAML dates to calendar-date strings without shifting the day', () => {
    const parsed = ChangeSchema.parse({ ...validChange(), announcedDate: new Date('2026-11-20T00:00:00Z') });
    expect(parsed.announcedDate).toBe('2026-11-20');
  });
});

describe('each invalid entry gives its precise error', () => {
  const rule = validChangeRule;
  const withdrawal = () => ({ clause: '§ 8 Abs. 7', wording: 'Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.', period: 'any-time', takesEffect: 'future', form: 'not-stated', addressee: 'not-stated' });
  const cases: Array<[string, z.ZodType, unknown, string]> = [
    ['subprocessor without name', SubprocessorSchema, { ...validSubprocessor(), name: undefined }, 'name: missing (expected text)'],
    ['empty transfer list (a gap must be written as not-stated)', SubprocessorSchema, { ...validSubprocessor(), transfers: [] }, 'transfers: list at least one mechanism, or write `not-stated`'],
    ['transfers neither a list nor not-stated', SubprocessorSchema, { ...validSubprocessor(), transfers: 'keine' }, 'transfers: expected `not-stated` or a list, got "keine"'],
    ['SCC without module', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'scc' }] }, 'transfers[0].sccModule: SCC transfers name the module (1–4); write `not-stated` if the AVV does not say'],
    ['SCC module 5', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'scc', sccModule: 5 }] }, 'transfers[0].sccModule: Too big'],
    ['Art. 49 without a note', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'art49' }] }, 'transfers[0].note: an Art. 49 derogation must say which one in a note'],
    ['unknown transfer type', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'safe-harbor' }] }, 'transfers[0].type: expected one of adequacy, eu-us-dpf, scc, bcr, art49, privacy-shield, got "safe-harbor"'],
    ['lower-case country code', SubprocessorSchema, { ...validSubprocessor(), locations: [{ country: 'de' }] }, 'locations[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA'],
    ['unassigned location code (CLDR would print "Unknown Region")', SubprocessorSchema, { ...validSubprocessor(), locations: [{ country: 'ZZ' }] }, 'locations[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA'],
    ['unassigned address country', SubprocessorSchema, { ...validSubprocessor(), address: { street: 'x', postalCode: '1', city: 'y', country: 'XX' } }, 'address.country: expected an assigned ISO 3166-1 alpha-2 code such as "DE"'],
    ['"UK" for the United Kingdom (its code is GB)', SubprocessorSchema, { ...validSubprocessor(), transfers: [{ type: 'adequacy', country: 'UK' }] }, 'transfers[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "US"'],
    ['unassigned onward-transfer country', SubprocessorSchema, { ...validSubprocessor(), onwardTransfers: [{ name: 'x', country: 'AA' }] }, 'onwardTransfers[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA'],
    ['no locations', SubprocessorSchema, { ...validSubprocessor(), locations: [] }, 'locations: list at least one location, or write `not-stated`'],
    ['locations forgotten', SubprocessorSchema, { ...validSubprocessor(), locations: undefined }, 'locations: missing: write `not-stated` if the AVV does not say'],
    ['data categories forgotten', SubprocessorSchema, { ...validSubprocessor(), dataCategories: undefined }, 'dataCategories: missing: write `not-stated` if the AVV does not say'],
    ['postal code forgotten', SubprocessorSchema, { ...validSubprocessor(), address: { street: 'x', city: 'y', country: 'US' } }, 'address.postalCode: missing: write `not-stated` if the AVV does not say'],
    ['qualified mapping without id', SubprocessorSchema, { ...validSubprocessor(), dataCategories: [{ qualifier: 'verschlüsselt' }] }, 'dataCategories[0].id: missing (expected text)'],
    ['impossible date', SubprocessorSchema, { ...validSubprocessor(), since: '2026-02-30' }, 'since: "2026-02-30" is not a calendar date (expected YYYY-MM-DD)'],
    ['until before since', SubprocessorSchema, { ...validSubprocessor(), until: '2020-01-01' }, 'until: until (2020-01-01) is before since (2024-06-01)'],
    ['unknown field (typo)', SubprocessorSchema, { ...validSubprocessor(), loactions: [] }, 'loactions: unknown field'],
    ['first-format group', SubprocessorSchema, { ...validSubprocessor(), groups: undefined, group: 'Hosting' }, 'group: the first format\'s `group` is now `groups`'],
    ['change without a title', ChangeSchema, { ...validChange(), title: undefined }, 'title: missing (expected text, or { de: …, en: … })'],
    ['change without its announcement date', ChangeSchema, { ...validChange(), announcedDate: undefined }, 'announcedDate: missing (expected a date, YYYY-MM-DD)'],
    ['change of unknown kind', ChangeSchema, { ...validChange(), kind: 'swap' }, 'kind: expected one of add, replace, remove, update, got "swap"'],
    ['replace without replaces', ChangeSchema, { ...validChange(), kind: 'replace' }, 'replaces: a replace change must name the subprocessors it replaces'],
    ['replaces on an add', ChangeSchema, { ...validChange(), replaces: ['alt'] }, 'replaces: replaces is only meaningful for kind "replace", not "add"'],
    ['effective before announced', ChangeSchema, { ...validChange(), effectiveDate: '2026-11-01' }, 'effectiveDate: effective date 2026-11-01 is before the announcement 2026-11-20'],
    ['subprocessor slug with capitals', ChangeSchema, { ...validChange(), subprocessors: ['Support-Neu'] }, 'subprocessors[0]: expected a subprocessor slug'],
    ['notice period of zero', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), noticePeriod: { ...rule().noticePeriod, amount: 0 } }] }, 'changeRules[0].noticePeriod.amount: Too small'],
    ['unknown period unit', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), noticePeriod: { ...rule().noticePeriod, unit: 'fortnights' } }] }, 'changeRules[0].noticePeriod.unit: expected one of calendar-days, weeks, months, werktage, business-days, got "fortnights"'],
    ['unknown holiday region', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), noticePeriod: { ...rule().noticePeriod, holidayRegion: 'XX' } }] }, 'changeRules[0].noticePeriod.holidayRegion: expected one of BUND, BW'],
    ['fixed period without qualifier', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), noticePeriod: { wording: '30 Tage', amount: 30, unit: 'calendar-days', shiftToNextWorkingDay: true } }] }, 'changeRules[0].noticePeriod.qualifier: missing for a fixed period: exactly, at-least, regularly or at-the-latest'],
    ['period without the AVV\'s words', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), noticePeriod: { amount: 30, unit: 'calendar-days', qualifier: 'exactly', shiftToNextWorkingDay: true } }] }, 'changeRules[0].noticePeriod.wording: missing: quote the AVV\'s own words'],
    ['§ 193 left open on a fixed period', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), responsePeriod: { ...(rule().responsePeriod as object), shiftToNextWorkingDay: undefined } }] }, 'changeRules[0].responsePeriod.shiftToNextWorkingDay: missing for a fixed period: true, false or `not-stated`'],
    ['response period without counted-from', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), responsePeriod: { ...(rule().responsePeriod as object), countedFrom: undefined } }] }, 'changeRules[0].responsePeriod.countedFrom: missing for a fixed period: receipt, announcement or `not-stated`'],
    ['form forgotten on an objection rule', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), form: undefined }] }, 'changeRules[0].form: missing for right "objection": schriftform, textform, any, or `not-stated` if the AVV does not say'],
    ['unknown form', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), form: 'email' }] }, 'changeRules[0].form: expected one of schriftform, textform, any, not-stated, got "email"'],
    ['declaration fields on an information rule', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), right: 'information' }] }, 'changeRules[0].form: a rule with right "information" foresees no declaration by the customer; remove form'],
    ['reasons wording without reasons', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), reasonsWording: 'wichtiger Grund' }] }, 'changeRules[0].reasonsWording: reasonsWording only applies when reasonsRequired is true'],
    ['withdrawable without how', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), withdrawable: true }] }, 'changeRules[0].withdrawal: missing for withdrawable: true: clause, wording, period (any-time), takesEffect (future), form and addressee'],
    ['withdrawal where the AVV says nothing about it', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), withdrawal: withdrawal() }] }, 'changeRules[0].withdrawal: withdrawal only applies when withdrawable is true'],
    ['withdrawal on an information rule', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), right: 'information', form: undefined, reasonsRequired: undefined, withdrawable: undefined, lapsesAfterPeriod: undefined, consequence: undefined, responsePeriod: undefined, withdrawal: withdrawal() }] }, 'changeRules[0].withdrawal: a rule with right "information" foresees no declaration by the customer; remove withdrawal'],
    ['withdrawal effect left out', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), withdrawable: true, withdrawal: { ...withdrawal(), takesEffect: undefined } }] }, 'changeRules[0].withdrawal.takesEffect: expected one of future, not-stated'],
    ['withdrawal addressee left out', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), withdrawable: true, withdrawal: { ...withdrawal(), addressee: undefined } }] }, 'changeRules[0].withdrawal.addressee: '],
    ['withdrawal without the AVV\'s sentence', AvvVersionSchema, { ...validAvv(), changeRules: [{ ...rule(), withdrawable: true, withdrawal: { ...withdrawal(), wording: undefined } }] }, 'changeRules[0].withdrawal.wording: missing: quote the AVV\'s own sentence on withdrawing'],
    ['empty rule list', AvvVersionSchema, { ...validAvv(), changeRules: [] }, 'changeRules: list at least one rule, or write `not-stated` if the AVV has none'],
    ['change rules forgotten', AvvVersionSchema, { ...validAvv(), changeRules: undefined }, 'changeRules: missing: list the AVV\'s rules for subprocessor changes, or write `not-stated` if the AVV has none'],
    ['first-format noticePolicy', AvvVersionSchema, { ...validAvv(), changeRules: undefined, noticePolicy: { noticePeriod: { amount: 30, unit: 'calendar-days' } } }, 'noticePolicy: `noticePolicy` is the old format; replace it with `changeRules`'],
    ['version id with a slash', AvvVersionSchema, { ...validAvv(), version: '2/0' }, 'version: expected a version id such as "2.0" or "2026-03"'],
    ['version id as an unquoted YAML number', AvvVersionSchema, { ...validAvv(), version: 1 }, 'version: write the version in quotes, e.g. version: "1.0"'],
    ['acknowledgement without reason', AvvVersionSchema, { ...validAvv(), acknowledgedFindings: [{ rule: 'dpo-not-named' }] }, 'acknowledgedFindings[0].reason: missing: an acknowledgement needs a reason'],
    ['acknowledgement of an unknown rule', AvvVersionSchema, { ...validAvv(), acknowledgedFindings: [{ rule: 'looks-fine', reason: 'Weil wir es so entschieden haben, lange Begründung.' }] }, 'acknowledgedFindings[0].rule: unknown finding rule; known rules: transfer-mechanism-missing'],
    ['vendor DPO email malformed', VendorSchema, { ...validVendor(), dataProtectionOfficer: { name: 'X', email: 'not-an-email' } }, 'dataProtectionOfficer.email: Invalid email address'],
    ['vendor DPO forgotten', VendorSchema, { ...validVendor(), dataProtectionOfficer: undefined }, 'dataProtectionOfficer: missing: write `not-stated` if the AVV does not say'],
    ['vendor holiday region forgotten (no nationwide default)', VendorSchema, { ...validVendor(), holidayRegion: undefined }, 'holidayRegion: missing: the Land of the vendor\'s seat (e.g. BE, HH, BY; BUND for nationwide holidays only)'],
    ['security contact without scheme', VendorSchema, { ...validVendor(), security: { contact: 'security@x.example', expires: '2030-01-01' } }, 'security.contact: expected a mailto:, https:// or tel: URI'],
    ['TOMs section of unknown category', TomVersionSchema, { ...validTomVersion(), sections: [{ id: 'x', title: 'X', categories: ['magic'], measures: ['m'] }] }, 'sections[0].categories[0]: expected one of physical-access'],
    ['TOMs section without measures', TomVersionSchema, { ...validTomVersion(), sections: [{ id: 'x', title: 'X', categories: ['review'], measures: [] }] }, 'sections[0].measures: Too small'],
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

describe('a field left out of a union names what it accepts', () => {
  it('lists the forms of a union with no message of its own', () => {
    const schema = z.strictObject({ amount: z.union([z.string(), z.number()]) });
    const result = schema.safeParse({});
    expect(zodProblems(result.error!, {})).toEqual([{ field: 'amount', message: 'missing (expected text or a number)' }]);
  });
});
