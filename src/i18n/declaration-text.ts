import type { DeclarationCheck } from '../domain/declaration-check.ts';
import type { CountedFrom, DeclarationKind } from '../domain/declaration-window.ts';
import type { DeclarationForm } from '../schemas/change-rules.ts';
import type { Lang } from '../lib/paths.ts';
import { formatDate, t, tf, type UiKey } from './ui.ts';

/**
 * Words for declarations on changes, in one place: the change page's form, the Worker's
 * refusals, the receipt page and both mails say the same about the same declaration.
 */

const KIND: Record<DeclarationKind, UiKey> = { objection: 'declareKindObjection', consent: 'declareKindConsent', refusal: 'declareKindRefusal', withdrawal: 'declareKindWithdrawal' };
const KIND_SHORT: Record<DeclarationKind, UiKey> = { objection: 'declareKindObjectionShort', consent: 'declareKindConsentShort', refusal: 'declareKindRefusalShort', withdrawal: 'declareKindWithdrawalShort' };
const FROM: Record<CountedFrom, UiKey> = { 'notice-receipt': 'declareFromNoticeReceipt', announcement: 'declareFromAnnouncement', 'announcement-without-receipt-evidence': 'declareFromNoEvidence' };
/** The same, said of the customer to the vendor's privacy team. */
const FROM_OF_CUSTOMER: Record<CountedFrom, UiKey> = { 'notice-receipt': 'declareFromNoticeReceiptOfCustomer', announcement: 'declareFromAnnouncement', 'announcement-without-receipt-evidence': 'declareFromNoEvidenceOfCustomer' };
const FORM: Record<DeclarationForm, UiKey> = { schriftform: 'declareFormSchriftform', textform: 'declareFormTextform', any: 'declareFormAny', 'not-stated': 'declareFormNotStated' };

/** "Ich widerspreche dieser Änderung." — the choice on the form. */
export function declarationKindText(kind: DeclarationKind, lang: Lang): string {
  return t(lang, KIND[kind]);
}

/** "Widerspruch" — the kind as a noun, for receipts, subjects and lists. */
export function declarationKindName(kind: DeclarationKind, lang: Lang): string {
  return t(lang, KIND_SHORT[kind]);
}

/** What the rule's form means for the online declaration (Schriftform: it does not replace the letter). */
export function declarationFormNote(form: DeclarationForm, lang: Lang): string {
  return t(lang, FORM[form]);
}

/**
 * "07.12.2026, gerechnet ab dem Zugang der Mitteilung bei Ihnen (23.11.2026)" to the customer;
 * "… beim Kunden …" when `reader` is the vendor's privacy team.
 */
export function customerDeadlineText(deadline: string, countedFrom: CountedFrom, countedFromDay: string, lang: Lang, reader: 'customer' | 'vendor' = 'customer'): string {
  const from = (reader === 'vendor' ? FROM_OF_CUSTOMER : FROM)[countedFrom];
  return `${formatDate(deadline, lang)}, ${t(lang, 'declarationReceiptCountedFrom')} ${t(lang, from)} (${formatDate(countedFromDay, lang)})`;
}

/** Why a declaration was not stored, as one paragraph (the 409/422 `detail` and the page's summary). */
export function declarationRefusalText(refusal: Exclude<DeclarationCheck, { outcome: 'accepted' | 'reason-required' }> | { outcome: 'nothing-to-withdraw' }, lang: Lang): string {
  switch (refusal.outcome) {
    case 'late':
      return tf(lang, 'declareRefusedLate', { deadline: formatDate(refusal.window.deadline, lang), from: t(lang, FROM[refusal.window.countedFrom]), day: formatDate(refusal.window.countedFromDay, lang) });
    case 'no-declaration':
      return t(lang, 'declareRefusedNoDeclaration');
    case 'wrong-kind':
      return tf(lang, 'declareRefusedWrongKind', { kinds: refusal.allowedKinds.map((kind) => declarationKindName(kind, lang)).join(', ') });
    case 'withdrawal-not-allowed':
      return t(lang, refusal.withdrawable === false ? 'declareRefusedWithdrawalFalse' : 'declareRefusedWithdrawalNotStated');
    case 'nothing-to-withdraw':
      return t(lang, 'declareRefusedNothingToWithdraw');
  }
}
