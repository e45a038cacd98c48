import { describe, expect, it } from 'vitest';
import { computeChangeTerms, type ChangeTerms } from '../src/domain/change-terms.ts';
import { checkDeclaration } from '../src/domain/declaration-check.ts';
import { declarationKindsFor, declarationOffered, declarationWindow } from '../src/domain/declaration-window.ts';
import type { ManifestChange } from '../src/domain/manifest.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { ChangeSchema } from '../src/schemas/change.ts';
import { validAvv, validChangeRule } from './support/valid-entries.ts';

/**
 * Which declarations a change calls for and one customer's window, with dates counted by hand
 * (Hamburg holidays of 2026; Werktage are Monday to Saturday).
 */
const ANNOUNCED = '2026-11-20';
const EFFECTIVE = '2027-01-11';

function termsOf(rule: Record<string, unknown>, thirdCountry: 'yes' | 'no' = 'no'): ChangeTerms {
  const avv = AvvVersionSchema.parse({ ...validAvv(), changeRules: [{ ...validChangeRule(), ...rule }] });
  const change = ChangeSchema.parse({ kind: 'add', title: 'Neu', subprocessors: ['x'], announcedDate: ANNOUNCED, effectiveDate: EFFECTIVE });
  return computeChangeTerms(change, [avv], { vendorHolidayRegion: 'HH', thirdCountry, day: '2026-11-23' });
}

const fourteenWerktage = (countedFrom: 'receipt' | 'announcement') => ({
  responsePeriod: { wording: 'binnen 14 Werktagen', amount: 14, unit: 'werktage', qualifier: 'exactly', countedFrom, shiftToNextWorkingDay: true, holidayRegion: 'HH' },
});
// How a withdrawal is made does not decide whether one is offered; each case states it as an AVV would.
const withdrawal = { clause: '§ 7 Abs. 5', wording: 'Der Kunde kann seine Erklärung zurücknehmen.', period: 'not-stated', takesEffect: 'not-stated', form: 'not-stated', addressee: 'not-stated' };
const objection = termsOf({ ...fourteenWerktage('receipt'), withdrawable: true, withdrawal });
const fromAnnouncement = termsOf({ ...fourteenWerktage('announcement'), withdrawable: false, reasonsRequired: true, reasonsWording: 'aus wichtigem Grund' });
const consent = termsOf({ right: 'consent', noticePeriod: { wording: 'vorab' }, responsePeriod: 'not-stated', withdrawable: true, withdrawal: { ...withdrawal, period: 'any-time', takesEffect: 'future' } });
const tacit = termsOf({ right: 'tacit-consent', ...fourteenWerktage('receipt') });
const information = termsOf({ right: 'information', noticePeriod: { wording: 'vorab' }, responsePeriod: undefined, form: undefined, reasonsRequired: undefined, withdrawable: undefined, lapsesAfterPeriod: undefined, consequence: undefined });

const manifestChange = (terms: ChangeTerms): ManifestChange => ({ id: 'neu', kind: 'add', title: 'Neu', subprocessors: ['x'], announcedDate: ANNOUNCED, effectiveDate: EFFECTIVE, terms, path: '/changes/neu/' });

describe('declarationKindsFor', () => {
  it('offers what the right calls for, and withdrawal only where the AVV says withdrawable: true', () => {
    expect(declarationKindsFor(objection)).toEqual(['objection', 'withdrawal']);
    expect(declarationKindsFor(fromAnnouncement)).toEqual(['objection']);
    expect(declarationKindsFor(termsOf({}))).toEqual(['objection']); // withdrawable: not-stated
    expect(declarationKindsFor(consent)).toEqual(['consent', 'refusal', 'withdrawal']);
    expect(declarationKindsFor(tacit)).toEqual(['objection']);
    expect(declarationKindsFor(information)).toEqual([]);
  });
});

describe('declarationWindow', () => {
  it('counts from the notice receipt the evidence shows: received Mon 30 Nov → Wed 16 Dec', () => {
    // Tu 1–Sa 5 (1–5), Mo 7–Sa 12 (6–11), Mo 14 (12), Tu 15 (13), We 16 (14).
    expect(declarationWindow(objection, ANNOUNCED, '2026-11-30', '2026-12-16')).toEqual({ period: 'fixed', deadline: '2026-12-16', countedFrom: 'notice-receipt', countedFromDay: '2026-11-30', open: true });
    expect(declarationWindow(objection, ANNOUNCED, '2026-11-30', '2026-12-17').open).toBe(false);
  });

  it('counts from the announcement without evidence: Fri 20 Nov → Mon 7 Dec', () => {
    // Sa 21 (1), Mo 23–Sa 28 (2–7), Mo 30 Nov–Sa 5 Dec (8–13), Mo 7 Dec (14).
    expect(declarationWindow(objection, ANNOUNCED, null, '2026-12-08')).toEqual({ period: 'fixed', deadline: '2026-12-07', countedFrom: 'announcement-without-receipt-evidence', countedFromDay: ANNOUNCED, open: false });
  });

  it('ignores the receipt where the rule counts from the announcement', () => {
    expect(declarationWindow(fromAnnouncement, ANNOUNCED, '2026-11-30', '2026-12-08')).toMatchObject({ deadline: '2026-12-07', countedFrom: 'announcement', open: false });
  });

  it('is open without a date where the AVV states no fixed period', () => {
    expect(declarationWindow(consent, ANNOUNCED, null, '2030-01-01')).toEqual({ period: 'none', open: true });
  });
});

describe('declarationOffered (the change page on its build day)', () => {
  it('keeps the form after the announcement day’s deadline while a later receipt can still be in time', () => {
    expect(declarationOffered(objection, EFFECTIVE, '2026-12-07')).toBe(true);
    expect(declarationOffered(objection, EFFECTIVE, '2026-12-20')).toBe(true);
    expect(declarationOffered(objection, EFFECTIVE, EFFECTIVE)).toBe(false);
    expect(declarationOffered(fromAnnouncement, EFFECTIVE, '2026-12-08')).toBe(false);
    expect(declarationOffered(consent, EFFECTIVE, '2030-01-01')).toBe(true);
    expect(declarationOffered(information, EFFECTIVE, '2026-11-23')).toBe(false);
  });
});

describe('checkDeclaration', () => {
  const attempt = { reason: undefined, receivedOn: null, today: '2026-11-25' };
  it('refuses kinds the regime does not call for', () => {
    expect(checkDeclaration(manifestChange(objection), { ...attempt, kind: 'consent' })).toEqual({ outcome: 'wrong-kind', allowedKinds: ['objection', 'withdrawal'] });
    expect(checkDeclaration(manifestChange(information), { ...attempt, kind: 'objection' })).toEqual({ outcome: 'no-declaration', allowedKinds: [] });
    expect(checkDeclaration(manifestChange(fromAnnouncement), { ...attempt, kind: 'withdrawal' })).toMatchObject({ outcome: 'withdrawal-not-allowed', withdrawable: false });
    expect(checkDeclaration(manifestChange(termsOf({})), { ...attempt, kind: 'withdrawal' })).toMatchObject({ outcome: 'withdrawal-not-allowed', withdrawable: 'not-stated' });
  });

  it('asks for the reasons the rule requires, before looking at the window', () => {
    expect(checkDeclaration(manifestChange(fromAnnouncement), { ...attempt, kind: 'objection', today: '2027-06-01' })).toEqual({ outcome: 'reason-required', reasonsWording: 'aus wichtigem Grund' });
  });

  it('refuses a late declaration with the window that applied, and records one in time with it', () => {
    const late = checkDeclaration(manifestChange(objection), { ...attempt, kind: 'objection', today: '2026-12-08' });
    expect(late).toMatchObject({ outcome: 'late', window: { deadline: '2026-12-07', countedFrom: 'announcement-without-receipt-evidence' } });
    const inTime = checkDeclaration(manifestChange(objection), { ...attempt, kind: 'objection', receivedOn: '2026-11-30', today: '2026-12-08' });
    expect(inTime).toEqual({
      outcome: 'accepted',
      terms: { governingAvvVersion: '2.0', ruleId: 'widerspruch', clause: null, requiredForm: 'textform', deadline: '2026-12-16', countedFrom: 'notice-receipt', countedFromDay: '2026-11-30', withinWindow: true },
    });
  });

  it('binds neither a withdrawal nor a declaration without a fixed period to a date', () => {
    expect(checkDeclaration(manifestChange(objection), { ...attempt, kind: 'withdrawal', today: '2030-01-01' })).toMatchObject({ outcome: 'accepted', terms: { deadline: null, withinWindow: null } });
    expect(checkDeclaration(manifestChange(consent), { ...attempt, kind: 'refusal', today: '2030-01-01' })).toMatchObject({ outcome: 'accepted', terms: { deadline: null, countedFrom: null, withinWindow: null } });
  });
});
