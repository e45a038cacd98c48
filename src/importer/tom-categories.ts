/**
 * The Art. 32 categories by the names German and English TOMs give their sections. The ids are
 * the content model's (`TomCategorySchema`); a section title that names none of these words
 * gets no category, and the author assigns it.
 */
export type TomCategoryId =
  | 'physical-access' | 'system-access' | 'data-access' | 'separation' | 'pseudonymisation' | 'encryption'
  | 'transfer-control' | 'input-control' | 'availability' | 'recoverability' | 'review' | 'instruction-control';

const CATEGORY_WORDS: readonly [TomCategoryId, RegExp][] = [
  ['physical-access', /zutritt|physical access|physical security|premises/i],
  ['system-access', /zugangskontroll|zugangssteuerung|zugang zu (?:den )?(?:systemen|datenverarbeitungs)|benutzerkontrolle|system access|access to systems/i],
  ['data-access', /zugriffskontroll|zugriffsschutz|zugriffssteuerung|speicherkontrolle|data access|access to data/i],
  ['separation', /trennung|trennbarkeit|mandantentrennung|separation|segregation/i],
  ['pseudonymisation', /pseudonymi/i],
  ['encryption', /verschlüsselung|kryptograph|encryption/i],
  ['transfer-control', /weitergabe|übertragungskontroll|transportkontroll|übermittlungskontroll|transfer control|transmission control/i],
  ['input-control', /eingabekontroll|input control|protokollierung der eingabe/i],
  ['availability', /verfügbarkeit|belastbarkeit|availability|resilience/i],
  ['recoverability', /wiederherstell|recoverab|restor/i],
  ['review', /überprüfung|evaluierung|evaluation|bewertung der wirksamkeit|review|testing|datenschutz-?management/i],
  ['instruction-control', /auftragskontroll|weisungskontroll|instruction control/i],
];

/** Categories a section title names, in catalogue order. */
export function categoriesOfTitle(title: string): TomCategoryId[] {
  return CATEGORY_WORDS.filter(([, pattern]) => pattern.test(title)).map(([id]) => id);
}
