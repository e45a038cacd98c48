import { describe, expect, it } from 'vitest';
import { validatePublication, type ContentProblem, type PublicationSource } from '../src/domain/validate-publication.ts';
import { computeFindings, reportFindings, type Finding } from '../src/domain/findings.ts';
import { findingMessage } from '../src/i18n/finding-text.ts';
import { AcceptanceWordingSchema } from '../src/schemas/acceptance-wording.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { ChangeSchema } from '../src/schemas/change.ts';
import { DataCategorySchema } from '../src/schemas/data-category.ts';
import { SubprocessorSchema } from '../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../src/schemas/tom.ts';
import { ImprintSchema, PrivacyNoticeSchema, REQUIRED_PRIVACY_PROCESSING, RETENTION_RULES, RETENTION_RULE_IDS } from '../src/schemas/legal.ts';
import { publishedCookies } from '../src/domain/cookies.ts';
import { VendorSchema } from '../src/schemas/vendor.ts';
import { validAvv, validChange, validChangeRule, validSubprocessor, validVendor } from './support/valid-entries.ts';

const ALL_CATEGORIES = ['physical-access', 'system-access', 'data-access', 'separation', 'pseudonymisation', 'encryption', 'transfer-control', 'input-control', 'availability', 'recoverability', 'review'];

/** A consistent publication: one AVV, full TOMs, two subprocessors, one announced addition. */
function validSource(): PublicationSource {
  const avv = AvvVersionSchema.parse(validAvv());
  return {
    buildDate: '2026-11-23',
    contentDir: 'content',
    vendor: { id: 'vendor', file: 'content/vendor.yaml', data: VendorSchema.parse(validVendor()) },
    dataCategories: [
      { id: 'kontaktdaten', file: 'content/data-categories.yaml', data: DataCategorySchema.parse({ id: 'kontaktdaten', kind: 'data', label: 'Kontaktdaten' }) },
      { id: 'beschaeftigte', file: 'content/data-categories.yaml', data: DataCategorySchema.parse({ id: 'beschaeftigte', kind: 'data-subjects', label: 'Beschäftigte' }) },
    ],
    avvVersions: [{ id: '20', file: 'content/avv/2.0.md', data: { ...avv, body: '## § 1 Gegenstand {#gegenstand}\n\nText.\n\n## § 2 Pflichten {#pflichten}\n\nText.' } }],
    tomVersions: [
      {
        id: '2025-01',
        file: 'content/toms/2025-01.md',
        data: TomVersionSchema.parse({ version: '2025-01', title: 'TOMs', effectiveDate: '2025-01-01', reviewedDate: '2025-01-01', sections: [{ id: 'alles', title: 'Alles', categories: ALL_CATEGORIES, measures: ['m'] }] }),
      },
    ],
    subprocessors: [
      { id: 'mailer-us', file: 'content/subprocessors/mailer-us.yaml', data: SubprocessorSchema.parse(validSubprocessor()) },
      { id: 'support-neu', file: 'content/subprocessors/support-neu.yaml', data: SubprocessorSchema.parse({ ...validSubprocessor(), locations: [{ country: 'DE' }], transfers: undefined, since: '2026-12-28' }) },
    ],
    changes: [{ id: '2026-11-support-neu', file: 'content/changes/2026-11-support-neu.md', data: ChangeSchema.parse(validChange()) }],
    acceptanceWordings: [
      { id: '1', file: 'content/acceptance-wording/1.md', data: AcceptanceWordingSchema.parse({ version: '1', effectiveDate: '2025-01-01', text: { de: 'Ich bin berechtigt, das Unternehmen zu vertreten.' } }) },
    ],
    fileNames: [
      { folder: 'content/subprocessors', names: ['mailer-us.yaml', 'support-neu.yaml'] },
      { folder: 'content/changes', names: ['2026-11-support-neu.md'] },
    ],
  };
}

const render = (problems: ContentProblem[]) => problems.map((p) => `${p.file} › ${p.field}: ${p.message}`);

describe('validatePublication', () => {
  it('accepts consistent content', () => {
    expect(render(validatePublication(validSource()))).toEqual([]);
  });

  it.each<[string, (source: PublicationSource) => void, string]>([
    ['missing vendor profile', (s) => { s.vendor = undefined; }, 'content/vendor.yaml › : the vendor profile is missing'],
    ['no AVV at all', (s) => { s.avvVersions = []; }, 'content/avv/ › : no AVV version'],
    ['no acceptance wording', (s) => { s.acceptanceWordings = []; }, 'content/acceptance-wording/ › : no acceptance wording'],
    [
      'acceptance wording version used twice',
      (s) => { s.acceptanceWordings!.push({ ...s.acceptanceWordings![0]!, file: 'content/acceptance-wording/1a.md', data: { ...s.acceptanceWordings![0]!.data, effectiveDate: '2026-01-01' } }); },
      'content/acceptance-wording/1a.md › version: Acceptance wording version "1" is also used by content/acceptance-wording/1.md',
    ],
    [
      'change names an unknown subprocessor',
      (s) => { s.changes[0]!.data.subprocessors = ['support-alt']; },
      'content/changes/2026-11-support-neu.md › subprocessors[0]: unknown subprocessor "support-alt": there is no content/subprocessors/support-alt.yaml',
    ],
    [
      'replace names an unknown replaced subprocessor',
      (s) => { Object.assign(s.changes[0]!.data, { kind: 'replace', replaces: ['gibt-es-nicht'] }); },
      'content/changes/2026-11-support-neu.md › replaces[0]: unknown subprocessor "gibt-es-nicht"',
    ],
    [
      'effective date earlier than announcement plus notice period',
      (s) => { s.changes[0]!.data.effectiveDate = '2026-12-21'; },
      // 30 calendar days from 21.11. end on Sun 20.12., §193 moves the last day to Mon 21.12.
      'content/changes/2026-11-support-neu.md › effectiveDate: effective date 2026-12-21 is too early: rule "widerspruch" of AVV 2.0 requires 30 calendar-days notice ("mindestens 30 Tage vorher"), so a change announced on 2026-11-20 takes effect on 2026-12-22 at the earliest',
    ],
    [
      'two AVV versions share an id',
      (s) => { s.avvVersions.push({ ...s.avvVersions[0]!, file: 'content/avv/2.0-copy.md', data: { ...s.avvVersions[0]!.data, effectiveDate: '2027-01-01' } }); },
      'content/avv/2.0-copy.md › version: AVV version "2.0" is also used by content/avv/2.0.md',
    ],
    [
      'two AVV versions share an effective date',
      (s) => { s.avvVersions.push({ ...s.avvVersions[0]!, file: 'content/avv/3.0.md', data: { ...s.avvVersions[0]!.data, version: '3.0' } }); },
      'content/avv/3.0.md › effectiveDate: AVV effective date 2026-01-01 is also used by content/avv/2.0.md',
    ],
    [
      'a slug repeats (differs only in case)',
      (s) => { s.fileNames[0]!.names.push('Mailer-US.yaml'); },
      'content/subprocessors/Mailer-US.yaml › : slug "mailer-us" repeats: content/subprocessors/mailer-us.yaml has the same id',
    ],
    [
      'a file name that is not a slug',
      (s) => { s.fileNames[1]!.names.push('Neue Änderung.md'); },
      'content/changes/Neue Änderung.md › : file name "Neue Änderung" is used as the permanent id and must be a lowercase slug',
    ],
    [
      'unknown data category',
      (s) => { s.subprocessors[0]!.data.dataCategories = [{ id: 'gesundheitsdaten' }]; },
      'content/subprocessors/mailer-us.yaml › dataCategories[0]: unknown data category "gesundheitsdaten" (not in data-categories.yaml)',
    ],
    [
      'data-subject category used as data category',
      (s) => { s.subprocessors[0]!.data.dataCategories = [{ id: 'beschaeftigte' }]; },
      'content/subprocessors/mailer-us.yaml › dataCategories[0]: "beschaeftigte" is declared as kind data-subjects, but dataCategories needs kind data',
    ],
    [
      'subprocessor engaged without announcement',
      (s) => { s.changes = []; s.fileNames[1]!.names = []; },
      'content/subprocessors/support-neu.yaml › since: engaged on 2026-12-28, after the first AVV took effect (2026-01-01), but no add or replace change announces it',
    ],
    [
      'added subprocessor starts before the change takes effect',
      (s) => { s.subprocessors[1]!.data.since = '2026-12-01'; },
      'content/subprocessors/support-neu.yaml › since: since 2026-12-01 is before the effective date 2026-12-28',
    ],
    [
      'removed subprocessor without until',
      (s) => { Object.assign(s.changes[0]!.data, { kind: 'remove', subprocessors: ['mailer-us'] }); },
      'content/subprocessors/mailer-us.yaml › until: change content/changes/2026-11-support-neu.md ends this subprocessor on 2026-12-28, so until must be set to a day before it',
    ],
    [
      'a category listed twice',
      (s) => { s.subprocessors[0]!.data.dataCategories = [{ id: 'kontaktdaten' }, { id: 'kontaktdaten', qualifier: { de: 'verschlüsselt' } }]; },
      'content/subprocessors/mailer-us.yaml › dataCategories[1]: "kontaktdaten" is listed twice',
    ],
    [
      'third-country location without any transfers field',
      (s) => { s.subprocessors[0]!.data.transfers = undefined; },
      'content/subprocessors/mailer-us.yaml › transfers: missing: US is outside the EU/EEA; list the transfer mechanisms the AVV names (adequacy, eu-us-dpf, scc, bcr, art49, privacy-shield), or write `not-stated`',
    ],
    [
      'onward transfer to a third country without a transfers field',
      (s) => { s.subprocessors[1]!.data.onwardTransfers = [{ name: 'Callcenter', country: 'IN' }]; },
      'content/subprocessors/support-neu.yaml › onwardTransfers[0].transfers: missing: IN is outside the EU/EEA',
    ],
    [
      'two rules with one id',
      (s) => { const rules = s.avvVersions[0]!.data.changeRules as object[]; rules.push(rules[0]!); },
      'content/avv/2.0.md › changeRules[1].id: rule id "widerspruch" repeats in this AVV version',
    ],
    [
      'a tacit-consent change that takes effect before the silence counts as consent',
      (s) => { s.avvVersions[0]!.data.changeRules = AvvVersionSchema.parse({ ...validAvv(), changeRules: [{ ...validChangeRule(), right: 'tacit-consent', responsePeriod: { wording: '6 Wochen', amount: 6, unit: 'weeks', qualifier: 'exactly', countedFrom: 'announcement', shiftToNextWorkingDay: true } }] }).changeRules; },
      // 20 Nov 2026 + 6 weeks = Fri 1 Jan 2027 (holiday) → Mon 4 Jan 2027 under § 193; effective 28 Dec is too early.
      'content/changes/2026-11-support-neu.md › effectiveDate: effective date 2026-12-28 is too early: under rule "widerspruch" (tacit-consent) the customer has until 2027-01-04 to decide',
    ],
    [
      'clause anchor used twice',
      (s) => { s.avvVersions[0]!.data.body = '## § 1 A {#a}\n\nx\n\n## § 2 B {#a}\n\ny'; },
      'content/avv/2.0.md › body: clause anchor "#a" (heading "§ 2 B") is used twice',
    ],
    [
      'expired security.txt',
      (s) => { s.vendor!.data.security.expires = '2026-11-01'; },
      'content/vendor.yaml › security.expires: security.txt would already be expired (2026-11-01)',
    ],
  ])('%s', (_name, breakIt, expected) => {
    const source = validSource();
    breakIt(source);
    const problems = render(validatePublication(source));
    expect(problems.some((line) => line.startsWith(expected)), `problems were:\n${problems.join('\n')}`).toBe(true);
  });

  it('skips the notice check where the AVV names no fixed period', () => {
    const source = validSource();
    source.avvVersions[0]!.data.changeRules = [{ ...(source.avvVersions[0]!.data.changeRules as object[])[0], noticePeriod: { wording: 'rechtzeitig vorab' } } as never];
    source.changes[0]!.data.effectiveDate = '2026-11-21';
    source.subprocessors[1]!.data.since = '2026-11-21';
    expect(render(validatePublication(source))).toEqual([]);
  });

  it('checks no notice for a change outside the rules\' scope (a removal the AVV need not announce)', () => {
    const source = validSource();
    Object.assign(source.changes[0]!.data, { kind: 'remove', subprocessors: ['mailer-us'], effectiveDate: '2026-11-21' });
    source.subprocessors[0]!.data.until = '2026-11-20';
    source.subprocessors[1]!.data.since = '2026-01-01';
    expect(render(validatePublication(source))).toEqual([]);
  });

  it('checks no dates against a since the AVV does not state', () => {
    const source = validSource();
    source.subprocessors[1]!.data.since = 'not-stated';
    source.changes = [];
    expect(render(validatePublication(source))).toEqual([]);
  });
});

/** "regelmäßig 14 Werktage" notice, and a change that takes effect after only two weeks. */
function withShorterThanRegularNotice(source: PublicationSource): void {
  (source.avvVersions[0]!.data.changeRules as Array<{ noticePeriod: object }>)[0]!.noticePeriod = { wording: 'regelmäßig 14 Werktage', amount: 14, unit: 'werktage', qualifier: 'regularly', shiftToNextWorkingDay: 'not-stated' };
  source.changes[0]!.data.effectiveDate = '2026-12-04';
  source.subprocessors[1]!.data.since = '2026-12-04';
}

const renderFindings = (findings: Finding[], lang: 'de' | 'en' = 'en') => findings.map((f) => `${f.file} › ${f.field}: ${findingMessage(f, lang)} [${f.rule}, ${f.severity}, ${f.legalReference}]`);

describe('findings', () => {
  it('finds nothing in consistent content', () => {
    expect(renderFindings(computeFindings(validSource()))).toEqual([]);
  });

  it.each<[string, (source: PublicationSource) => void, string]>([
    [
      'third-country location with a not-stated transfer mechanism',
      (s) => { s.subprocessors[0]!.data.transfers = 'not-stated'; },
      'content/subprocessors/mailer-us.yaml › transfers: data goes to United States (US), outside the EU/EEA, and the AVV names no transfer mechanism [transfer-mechanism-missing, high, Art. 44, 46 DSGVO]',
    ],
    [
      'mechanism for another country only',
      (s) => { s.subprocessors[0]!.data.transfers = [{ type: 'scc', sccModule: 3, country: 'IN' }]; },
      'content/subprocessors/mailer-us.yaml › transfers: data goes to United States (US), outside the EU/EEA, and the AVV names none for US [transfer-mechanism-missing',
    ],
    [
      'adequacy claimed for a country without one',
      (s) => { Object.assign(s.subprocessors[0]!.data, { locations: [{ country: 'IN' }], transfers: [{ type: 'adequacy' }] }); },
      'content/subprocessors/mailer-us.yaml › transfers: the AVV relies on an adequacy decision for IN, but the EU has adopted none for it [adequacy-decision-missing, high, Art. 45 DSGVO]',
    ],
    [
      'DPF for a non-US location',
      (s) => { Object.assign(s.subprocessors[0]!.data, { locations: [{ country: 'IN' }], transfers: [{ type: 'eu-us-dpf' }] }); },
      'content/subprocessors/mailer-us.yaml › transfers: the EU-US Data Privacy Framework is named for IN; it covers recipients in the US only [dpf-outside-us',
    ],
    [
      'EU-US Privacy Shield as the stated basis',
      (s) => { s.subprocessors[0]!.data.transfers = [{ type: 'privacy-shield' }]; },
      'content/subprocessors/mailer-us.yaml › transfers: the AVV names the EU-US Privacy Shield for US, invalid since the CJEU judgment C-311/18 of 16 July 2020 [transfer-basis-invalid, high, EuGH C-311/18 (Schrems II); Art. 44 DSGVO]',
    ],
    [
      'onward transfer to Bangladesh without a stated basis',
      (s) => { s.subprocessors[1]!.data.onwardTransfers = [{ name: 'Tickets Dhaka', country: 'BD', transfers: 'not-stated' }]; },
      'content/subprocessors/support-neu.yaml › onwardTransfers[0].transfers: data goes to Bangladesh (BD), outside the EU/EEA, and the AVV names no transfer mechanism [transfer-mechanism-missing',
    ],
    [
      'locations not stated',
      (s) => { Object.assign(s.subprocessors[1]!.data, { locations: 'not-stated' }); },
      'content/subprocessors/support-neu.yaml › locations: the AVV names no processing location for Mailer US, only its seat in United States [processing-location-not-stated, medium',
    ],
    [
      'data categories not stated',
      (s) => { s.subprocessors[1]!.data.dataSubjects = 'not-stated'; },
      'content/subprocessors/support-neu.yaml › dataSubjects: the AVV does not say which data subjects Mailer US processes [data-categories-not-stated',
    ],
    [
      'no DPO named',
      (s) => { s.vendor!.data.dataProtectionOfficer = 'not-stated'; },
      'content/vendor.yaml › dataProtectionOfficer: the AVV names no data protection officer [dpo-not-named, low, Art. 37 Abs. 7 DSGVO]',
    ],
    [
      'TOMs missing an Art. 32 category (was an error in the first format)',
      (s) => { s.tomVersions[0]!.data.sections[0]!.categories = ALL_CATEGORIES.filter((c) => c !== 'pseudonymisation') as never; },
      'content/toms/2025-01.md › sections[pseudonymisation]: no section covers pseudonymisation (Art. 32 GDPR asks for measures for each) [tom-category-not-covered, medium, Art. 32 Abs. 1 DSGVO]',
    ],
    [
      'Schriftform demanded, only an e-mail address given',
      (s) => { (s.avvVersions[0]!.data.changeRules as Array<{ form: string }>)[0]!.form = 'schriftform'; },
      'content/avv/2.0.md › changeRules[0].form: rule "widerspruch" demands Schriftform, but vendor.yaml gives customers only the e-mail address weisungen@testfirma.example for declarations [schriftform-without-postal-address, medium, § 126 BGB]',
    ],
    [
      'AVV without change rules',
      (s) => { s.avvVersions[0]!.data.changeRules = 'not-stated'; },
      'content/avv/2.0.md › changeRules: AVV 2.0 states no rules for subprocessor changes [change-rules-not-stated, high',
    ],
    [
      'effective on its announcement day, though the AVV asks for notice "vorab"',
      (s) => {
        (s.avvVersions[0]!.data.changeRules as Array<{ noticePeriod: object }>)[0]!.noticePeriod = { wording: 'rechtzeitig vorab' };
        s.changes[0]!.data.effectiveDate = s.changes[0]!.data.announcedDate;
        s.subprocessors[1]!.data.since = s.changes[0]!.data.announcedDate;
      },
      'content/changes/2026-11-support-neu.md › effectiveDate: effective on the day it is announced (2026-11-20), though the AVV asks for notice in advance ("rechtzeitig vorab") [notice-not-in-advance, medium, Art. 28 Abs. 2 Satz 2 DSGVO]',
    ],
    [
      'shorter than a "regelmäßig" notice period',
      (s) => withShorterThanRegularNotice(s),
      // 14 Werktage after Fri 20 Nov 2026, nationwide holidays (the vendor's holidayRegion BUND), § 193 not applied to notice: Sa 21 … Mon 7 Dec → effective from Tue 8 Dec.
      'content/changes/2026-11-support-neu.md › effectiveDate: effective 2026-12-04, before 2026-12-08, the end of the AVV\'s regular notice period ("regelmäßig 14 Werktage") [notice-shorter-than-regular',
    ],
  ])('%s', (_name, breakIt, expected) => {
    const source = validSource();
    breakIt(source);
    const lines = renderFindings(computeFindings(source));
    expect(lines.some((line) => line.startsWith(expected)), `findings were:\n${lines.join('\n')}`).toBe(true);
  });

  it('words every finding in German for German pages, from the same facts as the English', () => {
    const source = validSource();
    source.subprocessors[0]!.data.transfers = 'not-stated';
    source.subprocessors[1]!.data.dataSubjects = 'not-stated';
    source.vendor!.data.dataProtectionOfficer = 'not-stated';
    source.tomVersions[0]!.data.sections[0]!.categories = ALL_CATEGORIES.filter((c) => c !== 'pseudonymisation') as never;
    withShorterThanRegularNotice(source);
    expect(renderFindings(computeFindings(source), 'de')).toEqual([
      'content/subprocessors/mailer-us.yaml › transfers: das Verarbeitungsland Vereinigte Staaten (US) liegt außerhalb der EU/des EWR, und die AVV nennt keinen Übermittlungsmechanismus [transfer-mechanism-missing, high, Art. 44, 46 DSGVO]',
      'content/subprocessors/support-neu.yaml › dataSubjects: die AVV sagt nicht, welche betroffenen Personen Mailer US verarbeitet [data-categories-not-stated, medium, Art. 28 Abs. 3 Satz 1 DSGVO (Art der Daten, Kategorien betroffener Personen)]',
      'content/vendor.yaml › dataProtectionOfficer: die AVV nennt keinen Datenschutzbeauftragten [dpo-not-named, low, Art. 37 Abs. 7 DSGVO]',
      'content/toms/2025-01.md › sections[pseudonymisation]: kein Abschnitt deckt Pseudonymisierung ab (Art. 32 DSGVO verlangt Maßnahmen für jede Kategorie) [tom-category-not-covered, medium, Art. 32 Abs. 1 DSGVO]',
      'content/changes/2026-11-support-neu.md › effectiveDate: wirksam ab 2026-12-04, vor dem 2026-12-08, dem Ende der regelmäßigen Ankündigungsfrist der AVV („regelmäßig 14 Werktage“) [notice-shorter-than-regular, medium, Art. 28 Abs. 2 Satz 2 DSGVO]',
    ]);
  });

  it('has German and English words for every rule, with every placeholder filled', () => {
    const facts: { [R in Finding['rule']]: Extract<Finding, { rule: R }>['facts'] } = {
      'transfer-mechanism-missing': { country: 'IN', stated: 'other-countries' },
      'transfer-basis-invalid': { country: 'US' },
      'adequacy-decision-missing': { country: 'IN' },
      'dpf-outside-us': { country: 'IN' },
      'processing-location-not-stated': { subprocessor: 'Mailer US', seatCountry: 'US' },
      'data-categories-not-stated': { subprocessor: 'Mailer US', field: 'dataCategories' },
      'dpo-not-named': {},
      'tom-category-not-covered': { category: 'physical-access' },
      'schriftform-without-postal-address': { changeRule: 'widerspruch', email: 'a@b.example' },
      'change-rules-not-stated': { avvVersion: '2.0' },
      'consent-withdrawal-not-stated': { avvVersion: '2.0', changeRule: 'drittland-zustimmung' },
      'notice-shorter-than-regular': { effectiveDate: '2026-12-04', earliestEffectiveDate: '2026-12-08', wording: 'regelmäßig 14 Werktage' },
      'notice-not-in-advance': { effectiveDate: '2026-11-20', wording: 'rechtzeitig vorab' },
      'translation-outdated': { source: 'content/toms/2026-01.md', sha256: 'a'.repeat(64) },
    };
    for (const [rule, value] of Object.entries(facts)) {
      const found = { rule, facts: value } as Finding;
      const [de, en] = [findingMessage(found, 'de'), findingMessage(found, 'en')];
      expect(de, rule).not.toMatch(/[{}]/);
      expect(en, rule).not.toMatch(/[{}]/);
      expect(de, rule).not.toBe(en);
    }
  });

  describe('consent-withdrawal-not-stated', () => {
    const consentRule = (withdrawal: Record<string, unknown>) =>
      AvvVersionSchema.parse({ ...validAvv(), changeRules: [{ ...validChangeRule(), id: 'drittland-zustimmung', right: 'consent', responsePeriod: 'not-stated', ...withdrawal }, validChangeRule()] });
    const withAvv = (avv: ReturnType<typeof consentRule>) => {
      const source = validSource();
      source.avvVersions[0]!.data = { ...source.avvVersions[0]!.data, ...avv };
      return source;
    };

    it('is found for a consent rule that leaves withdrawal open, at its field, and for no objection rule', () => {
      // validChangeRule() (the objection rule) says `withdrawable: not-stated` too: no finding for it.
      const findings = computeFindings(withAvv(consentRule({ withdrawable: 'not-stated' }))).filter((found) => found.rule === 'consent-withdrawal-not-stated');
      expect(findings).toMatchObject([{ file: 'content/avv/2.0.md', field: 'changeRules[0].withdrawable', severity: 'low', facts: { avvVersion: '2.0', changeRule: 'drittland-zustimmung' } }]);
      expect(findingMessage(findings[0]!, 'en')).toBe('AVV 2.0 does not say in rule drittland-zustimmung whether the customer may withdraw a consent once given');
    });

    it('is not found where the AVV states it either way', () => {
      const stated = { withdrawable: true, withdrawal: { clause: '§ 8 Abs. 7', wording: 'jederzeit widerruflich', period: 'any-time', takesEffect: 'future', form: 'not-stated', addressee: 'not-stated' } };
      for (const withdrawal of [stated, { withdrawable: false }]) {
        expect(computeFindings(withAvv(consentRule(withdrawal))).map((found) => found.rule)).not.toContain('consent-withdrawal-not-stated');
      }
    });

    it('moves to the acknowledged findings with an acknowledgement in the AVV file', () => {
      const source = withAvv(consentRule({ withdrawable: 'not-stated' }));
      source.avvVersions[0]!.data.acknowledgedFindings = [{ rule: 'consent-withdrawal-not-stated', field: 'changeRules[0].withdrawable', reason: 'Beim Anbieter nachgefragt.' }];
      const report = reportFindings(source);
      expect(report.open.map((found) => found.rule)).not.toContain('consent-withdrawal-not-stated');
      expect(report.acknowledged).toMatchObject([{ rule: 'consent-withdrawal-not-stated', reason: 'Beim Anbieter nachgefragt.' }]);
    });
  });

  it('a "regelmäßig" period is no error: the change is published with the finding', () => {
    const source = validSource();
    withShorterThanRegularNotice(source);
    expect(render(validatePublication(source))).toEqual([]);
  });

  it('an acknowledgement in the file moves the finding to the acknowledged ones, with its reason', () => {
    const source = validSource();
    source.subprocessors[0]!.data.transfers = [{ type: 'privacy-shield' }];
    source.subprocessors[0]!.data.acknowledgedFindings = [{ rule: 'transfer-basis-invalid', reason: 'Die Anlage nennt noch den Privacy Shield; neue Garantien sind angefordert.' }];
    const report = reportFindings(source);
    expect(report.open).toEqual([]);
    expect(report.acknowledged).toMatchObject([{ rule: 'transfer-basis-invalid', file: 'content/subprocessors/mailer-us.yaml', reason: 'Die Anlage nennt noch den Privacy Shield; neue Garantien sind angefordert.' }]);
    expect(report.staleAcknowledgements).toEqual([]);
  });

  it('an acknowledgement limited to a field covers only that field', () => {
    const source = validSource();
    source.subprocessors[0]!.data.transfers = 'not-stated';
    source.subprocessors[0]!.data.onwardTransfers = [{ name: 'Tickets Dhaka', country: 'BD', transfers: 'not-stated' }];
    source.subprocessors[0]!.data.acknowledgedFindings = [{ rule: 'transfer-mechanism-missing', field: 'onwardTransfers[0]', reason: 'Beim Anbieter angefragt, Antwort steht noch aus.' }];
    const report = reportFindings(source);
    expect(report.open.map((f) => f.field)).toEqual(['transfers']);
    expect(report.acknowledged.map((f) => f.field)).toEqual(['onwardTransfers[0].transfers']);
  });

  it('each uncovered TOM category is a finding of its own, acknowledged one at a time', () => {
    const source = validSource();
    source.tomVersions[0]!.data.sections[0]!.categories = ALL_CATEGORIES.filter((c) => c !== 'pseudonymisation' && c !== 'encryption') as never;
    source.tomVersions[0]!.data.acknowledgedFindings = [{ rule: 'tom-category-not-covered', field: 'sections[pseudonymisation]', reason: 'Der Anbieter pseudonymisiert nicht; die Daten werden im Klartext benötigt.' }];
    const report = reportFindings(source);
    expect(report.acknowledged.map((f) => f.field)).toEqual(['sections[pseudonymisation]']);
    expect(report.open.map((f) => `${f.rule} ${f.field}`)).toEqual(['tom-category-not-covered sections[encryption]']);
    expect(report.staleAcknowledgements).toEqual([]);
  });

  it('an acknowledgement that matches no finding is an error, so waivers do not outlive their reason', () => {
    const source = validSource();
    source.vendor!.data.acknowledgedFindings = [{ rule: 'dpo-not-named', reason: 'Die AVV nennt keinen Datenschutzbeauftragten.' }];
    expect(render(reportFindings(source).staleAcknowledgements)).toEqual([
      'content/vendor.yaml › acknowledgedFindings[0]: acknowledges "dpo-not-named", but there is no such finding in this file: remove the acknowledgement',
    ]);
  });
});

describe('legal pages', () => {
  // Every rule under the activity it belongs to, each counted from its event.
  const retentionOf = (id: string) =>
    RETENTION_RULE_IDS.filter((rule) => RETENTION_RULES[rule].processing === id).map((rule) => ({ rule, amount: 6, unit: 'years', countFrom: 'event', after: { de: 'nach Vertragsende' } }));
  const activity = (id: string) => ({ id, title: { de: id }, data: { de: 'Name' }, purpose: { de: 'Zweck' }, legalBasis: { de: 'Art. 6 Abs. 1 lit. b DSGVO' }, retention: retentionOf(id) });
  const cookies = publishedCookies().map(({ name }) => ({ name, purpose: { de: 'Zweck' }, legalBasis: { de: '§ 25 Abs. 2 Nr. 2 TDDDG' } }));
  const notice = (ids: readonly string[]) =>
    PrivacyNoticeSchema.parse({
      intro: { de: 'Intro' },
      hosting: { de: 'Cloudflare' },
      processing: ids.map(activity),
      cookies,
      thirdCountries: { de: 'DPF' },
      rights: { de: 'Art. 15 ff.' },
      obligation: { de: 'Keine Pflicht' },
      automatedDecisions: { de: 'Keine' },
      updated: '2026-11-20',
    });
  const imprint = ImprintSchema.parse({ representatives: ['Jana Beispiel'], representativesRole: { de: 'Geschäftsführung' }, email: 'kontakt@example.de', phone: '+49 40 1', updated: '2026-11-20' });
  const withLegal = (privacyIds: readonly string[] = REQUIRED_PRIVACY_PROCESSING): PublicationSource => ({
    ...validSource(),
    imprints: [{ id: 'imprint', file: 'content/legal/imprint.yaml', data: imprint }],
    privacyNotices: [{ id: 'privacy', file: 'content/legal/privacy.yaml', data: notice(privacyIds) }],
  });

  it('accepts an Impressum and a privacy notice covering every processing of the site', () => {
    expect(render(validatePublication(withLegal()))).toEqual([]);
  });

  it('refuses a site without Impressum or privacy notice, naming the file to add', () => {
    const problems = render(validatePublication({ ...withLegal(), imprints: [], privacyNotices: [] }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^content\/legal\/imprint\.yaml › : the Impressum is missing: § 5 DDG/);
    expect(problems[1]).toMatch(/^content\/legal\/privacy\.yaml › : the privacy notice is missing: Art\. 13 GDPR/);
  });

  it('refuses a privacy notice that leaves out processing the site does, or repeats one', () => {
    const problems = render(validatePublication(withLegal(['acceptances', 'subscriptions', 'server-logs', 'server-logs'])));
    expect(problems).toEqual([
      'content/legal/privacy.yaml › processing: no entry for "objections", "webhooks", "rate-limits": the site processes personal data for each, and the notice must say why, on which legal basis and for how long',
      'content/legal/privacy.yaml › processing[3].id: processing id "server-logs" repeats',
      'content/legal/privacy.yaml › processing[3].retention[0].rule: rule "server-logs" is stated twice: the system can enforce only one period per rule',
      'content/legal/privacy.yaml › processing: no retention period for "rate-limit-counters" (rate-limits), "objection-records" (objections), "unconfirmed-webhooks" (webhooks), "disabled-webhooks" (webhooks): the system deletes this data by the period the notice states, so state it',
    ]);
  });

  it('refuses retention rules stated under the wrong activity, and wording that counts differently from the data', () => {
    const source = withLegal();
    const processing = source.privacyNotices![0]!.data.processing;
    const subscriptions = processing.find((entry) => entry.id === 'subscriptions')!;
    const webhooks = processing.find((entry) => entry.id === 'webhooks')!;
    // Moved: the unsubscribed rule under webhooks; reworded: end of year stated, counted from the event.
    webhooks.retention.push(subscriptions.retention.pop()!);
    subscriptions.retention[0] = { ...subscriptions.retention[0]!, after: { de: 'nach Ende des Kalenderjahres der Anmeldung' } };
    webhooks.retention[0] = { ...webhooks.retention[0]!, countFrom: 'end-of-year' };
    const at = (entry: typeof webhooks) => processing.indexOf(entry);
    expect(render(validatePublication(source))).toEqual([
      `content/legal/privacy.yaml › processing[${at(subscriptions)}].retention[0].countFrom: the wording counts from the end of a calendar year: write countFrom: end-of-year, or the data would be deleted earlier than the notice says`,
      `content/legal/privacy.yaml › processing[${at(webhooks)}].retention[0].after.de: countFrom is end-of-year, but the wording does not say "nach Ende des Kalenderjahres …": the reader must learn when the period starts`,
      `content/legal/privacy.yaml › processing[${at(webhooks)}].retention[2].rule: rule "unsubscribed-subscribers" is the retention of "subscriptions", not of "webhooks": move it there`,
    ]);
  });

  it('refuses a notice that leaves out a cookie the Worker sets, or names one it never sets', () => {
    const source = withLegal();
    const notice = source.privacyNotices![0]!.data;
    notice.cookies = [{ name: 'tc_session', purpose: { de: 'Anmeldung' }, legalBasis: { de: '§ 25 Abs. 2 Nr. 2 TDDDG' } }];
    expect(render(validatePublication(source))).toEqual([
      'content/legal/privacy.yaml › cookies: the site sets "tc_accept_browser", which the notice does not name: describe each cookie (name, purpose, legal basis)',
      'content/legal/privacy.yaml › cookies[0].name: the site never sets a cookie "tc_session": remove it, or the notice states something untrue',
    ]);
  });

  it('refuses an activity without a retention period', () => {
    const result = PrivacyNoticeSchema.safeParse({ ...notice(REQUIRED_PRIVACY_PROCESSING), processing: [{ ...activity('acceptances'), retention: [] }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['processing', 0, 'retention']);
  });
});
