import { countryName } from '../domain/countries.ts';
import type { FindingSubject } from '../domain/findings.ts';
import type { TomCategory } from '../schemas/tom.ts';
import type { Lang } from '../lib/paths.ts';
import { tf, type UiKey } from './ui.ts';

/**
 * A finding in words, from its facts and the catalogue: `npm run check` prints it in English
 * (the language of the rest of its report), pages in their own language. Names, e-mail
 * addresses and the AVV's wording are quoted as the content states them.
 */

const TOM_CATEGORY: Record<TomCategory, UiKey> = {
  'physical-access': 'tomCategoryPhysicalAccess',
  'system-access': 'tomCategorySystemAccess',
  'data-access': 'tomCategoryDataAccess',
  separation: 'tomCategorySeparation',
  pseudonymisation: 'tomCategoryPseudonymisation',
  encryption: 'tomCategoryEncryption',
  'transfer-control': 'tomCategoryTransferControl',
  'input-control': 'tomCategoryInputControl',
  availability: 'tomCategoryAvailability',
  recoverability: 'tomCategoryRecoverability',
  review: 'tomCategoryReview',
  'instruction-control': 'tomCategoryInstructionControl',
};

/** The Art. 32 category's name in `lang`. */
export function tomCategoryName(category: TomCategory, lang: Lang): string {
  return tf(lang, TOM_CATEGORY[category], {});
}

export function findingMessage(found: FindingSubject, lang: Lang): string {
  const country = (code: string) => ({ code, country: countryName(code, lang) });
  switch (found.rule) {
    case 'transfer-mechanism-missing':
      return tf(lang, found.facts.stated === 'none' ? 'findingTransferMechanismMissingNone' : 'findingTransferMechanismMissingOther', country(found.facts.country));
    case 'transfer-basis-invalid':
      return tf(lang, 'findingTransferBasisInvalid', country(found.facts.country));
    case 'adequacy-decision-missing':
      return tf(lang, 'findingAdequacyDecisionMissing', country(found.facts.country));
    case 'dpf-outside-us':
      return tf(lang, 'findingDpfOutsideUs', country(found.facts.country));
    case 'processing-location-not-stated':
      return tf(lang, 'findingProcessingLocationNotStated', { subprocessor: found.facts.subprocessor, ...country(found.facts.seatCountry) });
    case 'data-categories-not-stated':
      return tf(lang, found.facts.field === 'dataCategories' ? 'findingDataCategoriesNotStated' : 'findingDataSubjectsNotStated', { subprocessor: found.facts.subprocessor });
    case 'dpo-not-named':
      return tf(lang, 'findingDpoNotNamed', {});
    case 'tom-category-not-covered':
      return tf(lang, 'findingTomCategoryNotCovered', { category: tomCategoryName(found.facts.category, lang) });
    case 'schriftform-without-postal-address':
      return tf(lang, 'findingSchriftformWithoutPostalAddress', { rule: found.facts.changeRule, email: found.facts.email });
    case 'change-rules-not-stated':
      return tf(lang, 'findingChangeRulesNotStated', { version: found.facts.avvVersion });
    case 'consent-withdrawal-not-stated':
      return tf(lang, 'findingConsentWithdrawalNotStated', { rule: found.facts.changeRule, version: found.facts.avvVersion });
    case 'notice-shorter-than-regular':
      return tf(lang, 'findingNoticeShorterThanRegular', found.facts);
    case 'notice-not-in-advance':
      return tf(lang, 'findingNoticeNotInAdvance', found.facts);
    case 'translation-outdated':
      return tf(lang, 'findingTranslationOutdated', found.facts);
  }
}
