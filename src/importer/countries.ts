import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

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
