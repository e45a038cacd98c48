/**
 * Abbreviations German contracts put before a capital letter without ending a sentence
 * ("gem. Art. 28", "i. S. d. DSGVO", "z. B. Namen"). Numbers after "Art." or "Abs." never end
 * a sentence anyway, because a sentence here must start with a letter.
 */
const ABBREVIATIONS = new Set([
  'abs', 'art', 'bzgl', 'bzw', 'ca', 'd', 'dh', 'etc', 'evtl', 'gem', 'ggf', 'h', 'i', 'inkl', 'lit', 'max', 'min', 'nr', 'rn', 's', 'sog', 'u', 'usw', 'vgl', 'z', 'ziff', 'zzgl',
  'e', 'g', 'ie', 'eg', 'cf', 'no', 'para', 'sec',
]);

/**
 * Splits a paragraph into sentences, each keeping its end mark and the space after it, so
 * joining them gives the paragraph back unchanged. A sentence ends at `.`, `!`, `?` or `;`
 * followed by space and a capital letter, an opening parenthesis or a quote, unless the word
 * before the mark is a known abbreviation or a single letter.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?;]["“”»)]*\s+(?=[\p{Lu}(„"«])/gu)) {
    const end = match.index + match[0].length;
    const before = text.slice(start, match.index);
    const word = /([\p{L}]+)$/u.exec(before)?.[1] ?? '';
    if (text[match.index] === '.' && (ABBREVIATIONS.has(word.toLowerCase()) || word.length === 1)) continue;
    sentences.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

/**
 * Splits a sentence into its clauses (Teilsätze) after `,`, `;` or `:`, each keeping its mark
 * and the space after it. Commas inside numbers ("1,5") do not split: a space must follow.
 */
export function splitPhrases(sentence: string): string[] {
  return sentence.split(/(?<=[,;:]\s+)/u).filter((phrase) => phrase !== '');
}
