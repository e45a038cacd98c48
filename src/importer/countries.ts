import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { escapeRegExp } from './text.ts';

countries.registerLocale(de);
countries.registerLocale(en);

/**
 * Country names as AVVs print them → ISO 3166-1 alpha-2, by i18n-iso-countries' German and
 * English names (all variants: "Vereinigte Staaten von Amerika", "USA", "Großbritannien").
 * Regions ("EU", "EWR") are not countries and are returned as such, never mapped
 * to a member state.
 */
export type Place = { kind: 'country'; code: string; name: string } | { kind: 'region'; region: 'EU' | 'EEA'; name: string };

// "Europa" is not among them: Europe is more than the EEA (Switzerland, the UK), so reading it
// as EU/EEA would state more than the AVV does.
const REGIONS: Record<string, 'EU' | 'EEA'> = {
  eu: 'EU', 'europäische union': 'EU', 'european union': 'EU',
  ewr: 'EEA', eea: 'EEA', 'eu/ewr': 'EEA', 'eu/eea': 'EEA', 'eu / ewr': 'EEA', 'europäischer wirtschaftsraum': 'EEA', 'european economic area': 'EEA',
};

// Short forms the library does not list but AVVs commonly use.
const ALIASES: Record<string, string> = { us: 'US', 'u.s.': 'US', 'u.s.a.': 'US', uk: 'GB', england: 'GB', 'vereinigte staaten von amerika (usa)': 'US', holland: 'NL' };

/** The place a name stands for, or undefined when it is no country or region name. */
export function placeOfName(raw: string): Place | undefined {
  const name = raw.trim().replace(/^(?:in\s+(?:der|den)?\s*)/i, '').replace(/[.;,]+$/, '').trim();
  if (!name) return undefined;
  const key = name.toLowerCase();
  const region = REGIONS[key];
  if (region) return { kind: 'region', region, name };
  const code = ALIASES[key] ?? countries.getAlpha2Code(name, 'de') ?? countries.getAlpha2Code(name, 'en');
  return code ? { kind: 'country', code, name } : undefined;
}

/**
 * Every country or region named in a cell such as "Frankfurt (Deutschland), Dublin (Irland)" or
 * "Deutschland, Irland, USA", in order, each once. Words that are not places are skipped, so a
 * city alone yields nothing: the importer does not infer a country from a city.
 */
export function placesInText(text: string): Place[] {
  const whole = placeOfName(text);
  if (whole) return [whole];
  const places: Place[] = [];
  const seen = new Set<string>();
  for (const part of text.split(/[,;/()\n]|\s+und\s+|\s+and\s+|\s+sowie\s+|\s+–\s+|\s+-\s+/)) {
    const place = placeOfName(part);
    if (!place) continue;
    const key = place.kind === 'country' ? place.code : place.region;
    if (seen.has(key)) continue;
    seen.add(key);
    places.push(place);
  }
  return places;
}

/**
 * Every name of a country, German and English (all of i18n-iso-countries' variants, the
 * aliases above, and the inflected forms a German sentence uses: "in den Vereinigten Staaten"),
 * longest first, so "Vereinigte Staaten von Amerika" is found before "Vereinigte Staaten".
 */
const INFLECTED: Record<string, string> = { 'vereinigten staaten von amerika': 'US', 'vereinigten staaten': 'US', 'vereinigten königreich': 'GB', 'vereinigten arabischen emiraten': 'AE' };
const NAMED_COUNTRIES: ReadonlyArray<[name: string, code: string]> = (() => {
  const names = new Map<string, string>(Object.entries({ ...ALIASES, ...INFLECTED }));
  for (const locale of [de, en]) {
    for (const [code, value] of Object.entries(locale.countries)) {
      for (const name of [value].flat()) if (name.length >= 4 || name === name.toUpperCase()) names.set(name.toLowerCase(), code);
    }
  }
  return [...names].sort((a, b) => b[0].length - a[0].length);
})();

/**
 * The countries a sentence names anywhere in it ("… in den Vereinigten Staaten von Amerika
 * gespeichert"), in order, each once: for finding a location stated outside the list, never for
 * reading a cell (placesInText does that).
 */
export function countriesMentionedIn(sentence: string): Place[] {
  let rest = sentence.toLowerCase();
  const places: Array<{ at: number; place: Place }> = [];
  for (const [name, code] of NAMED_COUNTRIES) {
    const pattern = new RegExp(`(?<![\\p{L}])${escapeRegExp(name)}(?![\\p{L}])`, 'u');
    const match = pattern.exec(rest);
    if (!match) continue;
    if (!places.some((entry) => entry.place.kind === 'country' && entry.place.code === code)) places.push({ at: match.index, place: { kind: 'country', code, name: sentence.slice(match.index, match.index + name.length) } });
    // Blank the match out so "Staaten" inside a longer name is not found again.
    rest = rest.slice(0, match.index) + ' '.repeat(name.length) + rest.slice(match.index + name.length);
  }
  return places.sort((a, b) => a.at - b.at).map((entry) => entry.place);
}
