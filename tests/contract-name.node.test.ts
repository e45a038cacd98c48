import { describe, expect, it } from 'vitest';
import { ruleReference } from '../src/i18n/change-terms-text.ts';
import { t, UI_KEYS } from '../src/i18n/ui.ts';
import { CURRENT_SUBSCRIPTION_WORDING, SUBSCRIPTION_WORDINGS } from '../src/domain/subscription-wording.ts';
import { contractNamesIn, dpaContext } from './support/contract-names.ts';

describe('one English name for the contract: AVV', () => {
  it('the detector tells the two names apart and ignores longer words', () => {
    expect(contractNamesIn('Governing DPA version: § 7 Abs. 3 bis 6 of AVV 2.0')).toEqual(['AVV', 'DPA']);
    expect(contractNamesIn('the DPAs of 2024')).toEqual(['DPA']);
    expect(contractNamesIn('Accept the AVV online')).toEqual(['AVV']);
    expect(contractNamesIn('DPAX and XAVV are other tokens')).toEqual([]);
  });

  it('no English string of the UI catalogue says "DPA"', () => {
    const offending = UI_KEYS.filter((key) => contractNamesIn(t('en', key)).includes('DPA')).map((key) => `${key}: …${dpaContext(t('en', key))}…`);
    expect(offending).toEqual([]);
    // The catalogue names the contract at all (else the check above proves nothing).
    expect(UI_KEYS.filter((key) => contractNamesIn(t('en', key)).includes('AVV')).length).toBeGreaterThan(20);
  });

  it('the rule reference and the labels next to it use the same name', () => {
    const reference = ruleReference({ id: 'widerspruch', clause: '§ 7 Abs. 3 bis 6', avvVersion: '2.0' }, 'en');
    const unnamed = ruleReference({ id: 'widerspruch', avvVersion: '2.0' }, 'en');
    for (const line of [`${t('en', 'governingRule')}: ${reference}`, `${t('en', 'governingAvv')}: 2.0`, `${t('en', 'governedBy')} 2.0`, unnamed]) {
      expect(contractNamesIn(line), line).toEqual(['AVV']);
    }
  });

  it('the consent wording a subscriber agrees to now says "AVV" (the earlier version stays as agreed)', () => {
    expect(contractNamesIn(SUBSCRIPTION_WORDINGS[CURRENT_SUBSCRIPTION_WORDING].en)).toEqual(['AVV']);
    expect(SUBSCRIPTION_WORDINGS['2026-11-23'].en).toContain('DPA (AVV)');
    expect(SUBSCRIPTION_WORDINGS[CURRENT_SUBSCRIPTION_WORDING].de).toBe(SUBSCRIPTION_WORDINGS['2026-11-23'].de);
  });
});
