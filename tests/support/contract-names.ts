/**
 * The names an English text gives the contract (Art. 28 GDPR). English surfaces call it "AVV"
 * — its own name, the one its clause references ("§ 7 Abs. 3 bis 6 of AVV 2.0"), the schema,
 * the manifest and the database use — and never "DPA". A text that says both mixes two names
 * for one concept; a text that says only "DPA" uses the wrong one.
 */
export type ContractName = 'AVV' | 'DPA';

const NAMES: Array<[ContractName, RegExp]> = [
  ['AVV', /\bAVVs?\b/],
  // "DPA" as a word, also in "DPAs", "DPA's" and "DPA version"; not in longer tokens.
  ['DPA', /\bDPA(?:s|'s|’s)?\b/],
];

export function contractNamesIn(text: string): ContractName[] {
  return NAMES.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/** Up to `around` characters either side of the first "DPA", to show where a failure is. */
export function dpaContext(text: string, around = 60): string | undefined {
  const match = /\bDPA/.exec(text);
  return match ? text.slice(Math.max(0, match.index - around), match.index + around) : undefined;
}
