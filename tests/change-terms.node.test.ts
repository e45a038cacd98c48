import { describe, expect, it } from 'vitest';
import { computeChangeTerms, responseDeadlineFor, type ChangeTerms } from '../src/domain/change-terms.ts';
import { AvvVersionSchema, type AvvVersion } from '../src/schemas/avv.ts';
import { ChangeSchema, type Change } from '../src/schemas/change.ts';
import { deadlineText, formText, howToHeading, termsFacts, withdrawalParts } from '../src/i18n/change-terms-text.ts';
import { validAvv, validChangeRule } from './support/valid-entries.ts';

/**
 * The change terms per regime, with dates computed by hand (calendar of 2026, Hamburg and
 * Bavarian holidays as the Länder publish them). Each case names the days it counted.
 */

const avv = (rules: unknown[]): AvvVersion => AvvVersionSchema.parse({ ...validAvv(), changeRules: rules });
const change = (overrides: Partial<Record<keyof Change, unknown>> = {}): Change =>
  ChangeSchema.parse({ kind: 'add', title: 'Neu', subprocessors: ['x'], announcedDate: '2026-11-20', effectiveDate: '2027-01-11', ...overrides });
const terms = (avvVersion: AvvVersion, c: Change, thirdCountry: 'yes' | 'no' | 'unknown' = 'no', day = '2026-11-23', vendorHolidayRegion: 'HH' | 'BE' | 'BY' | 'BUND' = 'HH'): ChangeTerms =>
  computeChangeTerms(c, [avvVersion], { vendorHolidayRegion, thirdCountry, day });

const period = (fields: Record<string, unknown>) => ({ wording: 'laut AVV', qualifier: 'exactly', ...fields });

/** Objection: 30 calendar days' notice, 14 Werktage from receipt, Hamburg. */
const objectionRule = (notice: Record<string, unknown> = {}, response: Record<string, unknown> = {}) => ({
  ...validChangeRule(),
  noticePeriod: period({ amount: 30, unit: 'calendar-days', qualifier: 'at-least', shiftToNextWorkingDay: false, holidayRegion: 'HH', ...notice }),
  responsePeriod: period({ amount: 14, unit: 'werktage', countedFrom: 'receipt', shiftToNextWorkingDay: true, holidayRegion: 'HH', ...response }),
});

describe('objection', () => {
  const t = terms(avv([objectionRule()]), change());

  it('counts 14 Werktage from receipt: announced Fri 20 Nov 2026 → Mon 7 Dec 2026', () => {
    // Sa 21 (1), Mo 23–Sa 28 (2–7), Mo 30 Nov–Sa 5 Dec (8–13), Mo 7 Dec (14); Sundays do not count.
    expect(t.right).toBe('objection');
    expect(t.ruleId).toBe('widerspruch');
    expect(t.response).toMatchObject({ stated: 'fixed', deadlineForAnnouncementDay: '2026-12-07', countedFrom: { from: 'receipt', source: 'avv' } });
  });

  it('counts each recipient from their own receipt: received Mon 23 Nov → Wed 9 Dec', () => {
    // Tu 24–Sa 28 (1–5), Mo 30 Nov–Sa 5 Dec (6–11), Mo 7 (12), Tu 8 (13), We 9 (14).
    expect(responseDeadlineFor(t, '2026-11-23')).toBe('2026-12-09');
  });

  it('tells a recipient reached late the earliest date counted from their receipt: received Mon 23 Nov → Thu 24 Dec', () => {
    // 30 calendar days from the announcement Fri 20 Nov end Sun 20 Dec (§ 193 not applied): from Mon 21 Dec.
    expect(t.notice).toMatchObject({ earliestEffectiveDate: '2026-12-21' });
    const earliest = (recipient?: { receivedOn: string; deadline: string }) => termsFacts(t, '2026-11-20', 'de', recipient).find((f) => f.label === 'Frühester Termin laut AVV')?.value;
    expect(earliest()).toBe('21.12.2026 (gerechnet ab dem Tag der Ankündigung, 20.11.2026)');
    expect(earliest({ receivedOn: '2026-11-20', deadline: '2026-12-07' })).toBe('21.12.2026 (gerechnet ab dem Tag der Ankündigung, 20.11.2026)');
    // From Mon 23 Nov the 30 days end Wed 23 Dec: from Thu 24 Dec.
    expect(earliest({ receivedOn: '2026-11-23', deadline: '2026-12-09' })).toBe('24.12.2026 (gerechnet ab Zugang dieser Mitteilung am 23.11.2026)');
  });

  it('is open on the build day until the deadline, then announced, then effective', () => {
    expect(t.status).toBe('response-open');
    expect(terms(avv([objectionRule()]), change(), 'no', '2026-12-07').status).toBe('response-open');
    expect(terms(avv([objectionRule()]), change(), 'no', '2026-12-08').status).toBe('announced');
    expect(terms(avv([objectionRule()]), change(), 'no', '2027-01-11').status).toBe('effective');
  });

  it('claims no period and no lapse the AVV does not state: the right\'s sentence holds for every objection rule', () => {
    const silent = terms(avv([{ ...objectionRule(), responsePeriod: 'not-stated', lapsesAfterPeriod: 'not-stated' }]), change());
    for (const lang of ['de', 'en'] as const) {
      const facts = termsFacts(silent, '2026-11-20', lang);
      const right = facts[0]!.value;
      expect(right).not.toMatch(/fristgerecht|Frist|in time|period/i);
      expect(facts).toContainEqual(expect.objectContaining({ label: lang === 'de' ? 'Recht erlischt mit Ablauf der Frist' : 'Right lapses when the period ends', value: lang === 'de' ? 'in der AVV nicht angegeben' : 'not stated in the AVV' }));
    }
    expect(termsFacts(silent, '2026-11-20', 'de')[0]!.value).toBe('Widerspruch: die Änderung braucht Ihre Zustimmung nicht, Sie können ihr aber widersprechen');
  });

  it('keeps the AVV\'s own words apart from ours, so English pages can mark them as German', () => {
    const notice = termsFacts(t, '2026-11-20', 'en').find((fact) => fact.label === 'Notice period')!;
    expect(notice.parts).toEqual(['at least 30 calendar days – ', { avvWording: 'laut AVV' }, ', counted from the day of announcement', expect.stringMatching(/^\. /)]);
    expect(notice.value).toBe(notice.parts.map((part) => (typeof part === 'string' ? part : '„laut AVV“')).join(''));
  });

  it('names the governing rule by the AVV\'s clause, not by the author\'s id', () => {
    const withClause = terms(avv([{ ...objectionRule(), clause: '§ 7 Abs. 3' }]), change());
    const governing = (x: ChangeTerms, lang: 'de' | 'en') => termsFacts(x, '2026-11-20', lang)[1]!;
    expect(governing(withClause, 'de')).toMatchObject({ label: 'Maßgebliche Regelung', value: `§ 7 Abs. 3 der AVV ${withClause.governingAvvVersion}` });
    expect(governing(withClause, 'en')).toMatchObject({ label: 'Governing provision', value: `§ 7 Abs. 3 of AVV ${withClause.governingAvvVersion}` });
    expect(governing(withClause, 'de').value).not.toContain('widerspruch');
    // Only where the AVV states no clause does the id stand in, and the text says why.
    expect(governing(t, 'de').value).toBe(`Regel widerspruch der AVV ${t.governingAvvVersion} (keine Klausel angegeben)`);
    expect(governing(t, 'en').value).toBe(`rule widerspruch of AVV ${t.governingAvvVersion} (no clause stated)`);
  });

  it('says on the page what the deadline is counted from', () => {
    expect(deadlineText(t, '2026-11-20', 'de')).toBe('07.12.2026 (gerechnet ab Zugang der Mitteilung; für eine am Tag der Ankündigung (20.11.2026) zugegangene Mitteilung ist das der 07.12.2026)');
    expect(deadlineText(t, '2026-11-20', 'en')).toBe('07 Dec 2026 (counted from receipt of the notice; for a notice received on the announcement day (20 Nov 2026) that is 07 Dec 2026)');
  });
});

describe('BGB § 193 is decided per period', () => {
  // 30 calendar days after Fri 20 Nov 2026 is Sun 20 Dec 2026.
  it('notice period with § 193 excluded ends on the Sunday: earliest effective Mon 21 Dec', () => {
    expect(terms(avv([objectionRule({ shiftToNextWorkingDay: false })]), change()).notice).toMatchObject({ earliestEffectiveDate: '2026-12-21', bgb193: { applies: false, source: 'avv' } });
  });

  it('notice period with § 193 applied ends on Mon 21 Dec: earliest effective Tue 22 Dec', () => {
    expect(terms(avv([objectionRule({ shiftToNextWorkingDay: true })]), change()).notice).toMatchObject({ earliestEffectiveDate: '2026-12-22', bgb193: { applies: true, source: 'avv' } });
  });

  it('a notice period whose AVV is silent is not shifted (statute); the response period is', () => {
    const t = terms(avv([objectionRule({ shiftToNextWorkingDay: 'not-stated' }, { shiftToNextWorkingDay: 'not-stated' })]), change());
    expect(t.notice).toMatchObject({ earliestEffectiveDate: '2026-12-21', bgb193: { applies: false, source: 'statute' } });
    expect(t.response).toMatchObject({ bgb193: { applies: true, source: 'statute' } });
  });

  it('a response period ending on Christmas moves to Mon 28 Dec, unless the AVV excludes § 193', () => {
    // Announced Fri 11 Dec 2026 + 2 weeks = Fri 25 Dec (holiday); Sat 26 (holiday), Sun 27 → Mon 28.
    const twoWeeks = (shift: unknown) => objectionRule({}, { amount: 2, unit: 'weeks', shiftToNextWorkingDay: shift });
    const announced = change({ announcedDate: '2026-12-11', effectiveDate: '2027-02-01' });
    expect(terms(avv([twoWeeks(true)]), announced).response).toMatchObject({ deadlineForAnnouncementDay: '2026-12-28' });
    expect(terms(avv([twoWeeks(false)]), announced).response).toMatchObject({ deadlineForAnnouncementDay: '2026-12-25' });
  });
});

describe('vendor.holidayRegion stands in where a period names no region', () => {
  // 1 Werktag after Mon 5 Jan 2026: Tue 6 Jan, Epiphany — a holiday in Bavaria, not in Berlin.
  const rule = objectionRule({}, { amount: 1, unit: 'werktage', holidayRegion: undefined });
  const c = change({ announcedDate: '2026-01-05', effectiveDate: '2026-03-01' });

  it('Berlin: Tue 6 Jan', () => {
    expect(terms(avv([rule]), c, 'no', '2026-01-05', 'BE').response).toMatchObject({ deadlineForAnnouncementDay: '2026-01-06', holidayRegion: { region: 'BE', source: 'vendor' } });
  });

  it('Bavaria: Wed 7 Jan', () => {
    expect(terms(avv([rule]), c, 'no', '2026-01-05', 'BY').response).toMatchObject({ deadlineForAnnouncementDay: '2026-01-07', holidayRegion: { region: 'BY', source: 'vendor' } });
  });

  it('a region the rule names wins over the vendor\'s', () => {
    const named = objectionRule({}, { amount: 1, unit: 'werktage', holidayRegion: 'BY' });
    expect(terms(avv([named]), c, 'no', '2026-01-05', 'BE').response).toMatchObject({ deadlineForAnnouncementDay: '2026-01-07', holidayRegion: { region: 'BY', source: 'rule' } });
  });
});

describe('consent', () => {
  const consentRule = {
    ...validChangeRule(),
    id: 'drittland',
    scope: { kinds: ['add', 'replace', 'update'], condition: 'third-country' },
    right: 'consent',
    noticePeriod: { wording: 'vorab' },
    responsePeriod: 'not-stated',
    form: 'schriftform',
    withdrawable: true,
    withdrawal: { clause: '§ 8 Abs. 7', wording: 'Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.', period: 'any-time', takesEffect: 'future', form: 'not-stated', addressee: 'not-stated' },
    lapsesAfterPeriod: 'not-stated',
  };
  const rules = avv([consentRule, objectionRule()]);

  it('says whether, until when, from when, in which form and to whom a consent is withdrawn, each as the AVV states it or that it does not', () => {
    const t = terms(rules, change(), 'yes');
    expect(termsFacts(t, '2026-11-20', 'en')).toContainEqual(expect.objectContaining({
      label: 'Declaration can be withdrawn',
      value: 'yes, at any time, with effect for the future. Form of the withdrawal: not stated in the AVV. To whom: not stated in the AVV. § 8 Abs. 7: „Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.“',
    }));
    // The AVV's own sentence is a quote (German on every page), everything else our words.
    expect(withdrawalParts(t.declaration!, 'en').filter((part) => typeof part !== 'string')).toEqual([{ avvWording: consentRule.withdrawal.wording }]);
    const silent = { ...consentRule.withdrawal, period: 'not-stated', takesEffect: 'not-stated', form: 'textform', addressee: 'gegenüber Wolkenwerk', clause: 'not-stated' };
    const other = terms(avv([{ ...consentRule, withdrawal: silent }, objectionRule()]), change(), 'yes');
    expect(termsFacts(other, '2026-11-20', 'de')).toContainEqual(expect.objectContaining({
      value: 'ja; bis wann: in der AVV nicht angegeben; ab wann wirksam: in der AVV nicht angegeben. Form des Widerrufs: Textform (§ 126b BGB), z. B. E-Mail. Gegenüber wem: „gegenüber Wolkenwerk“. Fundstelle in der AVV nicht angegeben: „Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.“',
    }));
    const unstated = terms(avv([{ ...consentRule, withdrawable: 'not-stated', withdrawal: undefined }, objectionRule()]), change(), 'yes');
    expect(termsFacts(unstated, '2026-11-20', 'en')).toContainEqual(expect.objectContaining({ label: 'Declaration can be withdrawn', value: 'not stated in the AVV' }));
  });

  it('governs a change that takes data outside the EU/EEA; the objection rule governs the rest', () => {
    expect(terms(rules, change(), 'yes')).toMatchObject({ ruleId: 'drittland', right: 'consent', notice: { stated: 'wording', wording: 'vorab' }, response: { stated: 'not-stated' } });
    expect(terms(rules, change(), 'no')).toMatchObject({ ruleId: 'widerspruch', right: 'objection' });
  });

  it('also governs where the locations are not stated (the stricter reading)', () => {
    expect(terms(rules, change(), 'unknown').ruleId).toBe('drittland');
  });

  it('without a period, no deadline and no open window: consent is needed before the change applies', () => {
    const t = terms(rules, change(), 'yes');
    expect(t.status).toBe('announced');
    expect(responseDeadlineFor(t, '2026-11-23')).toBeNull();
    const facts = termsFacts(t, '2026-11-20', 'de');
    expect(facts).toContainEqual(expect.objectContaining({ label: 'Zustimmung bis', value: 'Zustimmung erforderlich, bevor die Änderung für Sie gilt' }));
    expect(facts).toContainEqual(expect.objectContaining({ label: 'Frist für die Zustimmung', value: 'in der AVV nicht angegeben' }));
    expect(howToHeading(t, 'de')).toBe('So stimmen Sie zu');
  });

  it('carries the form the rule demands: Schriftform, not a fixed Textform', () => {
    const t = terms(rules, change(), 'yes');
    expect(t.declaration).toMatchObject({ form: 'schriftform', withdrawable: true, lapsesAfterPeriod: 'not-stated' });
    expect(formText(t.declaration!.form, 'de')).toBe('Schriftform (§ 126 BGB): eigenhändig unterschrieben, eine E-Mail genügt nicht');
    expect(terms(rules, change(), 'no').declaration!.form).toBe('textform');
  });
});

describe('tacit consent', () => {
  // "Widerspricht der Kunde nicht binnen 2 Wochen ab Ankündigung, gilt die Zustimmung als erteilt."
  const tacit = {
    ...validChangeRule(),
    right: 'tacit-consent',
    responsePeriod: period({ amount: 2, unit: 'weeks', countedFrom: 'announcement', shiftToNextWorkingDay: 'not-stated' }),
    form: 'any',
  };

  it('counts from the announcement day for everyone: announced Thu 3 Dec → Thu 17 Dec', () => {
    const t = terms(avv([tacit]), change({ announcedDate: '2026-12-03', effectiveDate: '2027-01-11' }), 'no', '2026-12-03', 'HH');
    expect(t.right).toBe('tacit-consent');
    expect(t.response).toMatchObject({ deadlineForAnnouncementDay: '2026-12-17', countedFrom: { from: 'announcement', source: 'avv' } });
    // A recipient who got the notice later has no more time.
    expect(responseDeadlineFor(t, '2026-12-07')).toBe('2026-12-17');
    expect(t.status).toBe('response-open');
  });
});

describe('information only', () => {
  const info = { id: 'info', scope: { kinds: ['remove'] }, right: 'information', noticePeriod: period({ amount: 2, unit: 'weeks', shiftToNextWorkingDay: true }) };

  it('has a notice period but no response period and no declaration', () => {
    const t = terms(avv([info, objectionRule()]), change({ kind: 'remove', effectiveDate: '2026-12-14' }));
    expect(t).toMatchObject({ right: 'information', ruleId: 'info', notice: { stated: 'fixed', earliestEffectiveDate: '2026-12-05' } });
    expect(t.response).toBeUndefined();
    expect(t.declaration).toBeUndefined();
    expect(t.status).toBe('announced');
  });
});

describe('scope', () => {
  it('a removal the AVV\'s rules do not cover has no notice duty and no right', () => {
    const t = terms(avv([objectionRule()]), change({ kind: 'remove', effectiveDate: '2026-11-21' }), 'no', '2026-11-23');
    expect(t).toMatchObject({ basis: 'outside-scope', status: 'effective' });
    expect(t.right).toBeUndefined();
    const text = 'No duty to notify: the AVV foresees neither notice nor objection or consent for this kind of change; we inform you anyway';
    expect(termsFacts(t, '2026-11-20', 'en')).toEqual([{ label: 'Your right', value: text, parts: [text] }]);
  });

  it('an AVV without change rules (not-stated) governs no change', () => {
    expect(computeChangeTerms(change(), [AvvVersionSchema.parse({ ...validAvv(), changeRules: 'not-stated' })], { vendorHolidayRegion: 'HH', thirdCountry: 'no', day: '2026-11-23' }).basis).toBe('rules-not-stated');
  });

  it('a counted-from the AVV leaves open runs from receipt, and says that the statute decided', () => {
    const t = terms(avv([objectionRule({}, { countedFrom: 'not-stated' })]), change());
    expect(t.response).toMatchObject({ countedFrom: { from: 'receipt', source: 'statute' } });
    expect(deadlineText(t, '2026-11-20', 'de')).toContain('gerechnet ab Zugang der Mitteilung (die AVV sagt nicht, ab wann; § 130 BGB)');
  });
});
