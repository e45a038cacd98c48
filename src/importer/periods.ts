/**
 * Periods as AVVs write them: "14 Werktage", "vier Wochen", "zwei (2) Wochen", "30 Kalendertagen",
 * "einen Monat", with qualifiers such as "regelmäßig", "mindestens", "spätestens".
 */
export type PeriodUnit = 'calendar-days' | 'weeks' | 'months' | 'werktage' | 'business-days';

export interface PeriodMention {
  amount: number;
  unit: PeriodUnit;
  /** The qualifier in front of the period, as printed. Example: "regelmäßig". */
  qualifier?: string;
  /** The period as printed. Example: "regelmäßig 14 Werktage". */
  words: string;
  /** Start and end of `words` in the searched text. */
  start: number;
  end: number;
  /** True where the unit was read from the bare word "Tage", which § 188 BGB counts as calendar days. */
  bareDays: boolean;
}

const NUMBER_WORDS: Record<string, number> = {
  ein: 1, eine: 1, einen: 1, einem: 1, einer: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10,
  elf: 11, zwölf: 12, vierzehn: 14, fünfzehn: 15, zwanzig: 20, einundzwanzig: 21, dreißig: 30, sechzig: 60, neunzig: 90,
};

const UNIT_WORDS: readonly [RegExp, PeriodUnit][] = [
  [/^werktag/i, 'werktage'],
  [/^(arbeitstag|geschäftstag|bankarbeitstag|business day)/i, 'business-days'],
  [/^(kalendertag|calendar day)/i, 'calendar-days'],
  [/^(tag|day)/i, 'calendar-days'],
  [/^(woche|week)/i, 'weeks'],
  [/^(monat|month)/i, 'months'],
];

const PERIOD = new RegExp(
  '(?:(regelmäßig|in der Regel|mindestens|spätestens|wenigstens|höchstens|grundsätzlich|at least|no later than)\\s+)?' +
    `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})(?:\\s*\\(\\s*(\\d{1,3})\\s*\\))?\\s+` +
    '(Werktag(?:e|en)?|Arbeitstag(?:e|en)?|Geschäftstag(?:e|en)?|Bankarbeitstag(?:e|en)?|Kalendertag(?:e|en)?|Tag(?:e|en)?|Woche(?:n)?|Monat(?:e|en)?|business days?|calendar days?|days?|weeks?|months?)\\b',
  'giu',
);

/** Every period named in a text, in order. */
export function periodsIn(text: string): PeriodMention[] {
  const mentions: PeriodMention[] = [];
  for (const match of text.matchAll(PERIOD)) {
    const [words, qualifier, amountWord, amountDigits, unitWord] = match;
    const amount = amountDigits !== undefined ? Number(amountDigits) : /^\d+$/.test(amountWord!) ? Number(amountWord) : NUMBER_WORDS[amountWord!.toLowerCase()];
    const unit = UNIT_WORDS.find(([pattern]) => pattern.test(unitWord!))?.[1];
    if (amount === undefined || unit === undefined) continue;
    // "ein" before "Tag" is an article as often as a number; only plain digits and clear words count.
    if (amount === 1 && !/^(einen|eine|1)$/i.test(amountWord!)) continue;
    const mention: PeriodMention = { amount, unit, words: words!, start: match.index!, end: match.index! + words!.length, bareDays: /^(tag|day)/i.test(unitWord!) };
    if (qualifier) mention.qualifier = qualifier;
    mentions.push(mention);
  }
  return mentions;
}
