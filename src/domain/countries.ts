import isoCountryTable from 'i18n-iso-countries/codes.json' with { type: 'json' };

/**
 * Countries whose names the site prints and whose status decides whether a transfer
 * mechanism (Chapter V GDPR) is required. Pure data, shared by the build and the Worker.
 */

/**
 * Every assigned ISO 3166-1 alpha-2 code, from the table of i18n-iso-countries (the same the
 * importer maps country names with); only its code table, not its names, so the Worker stays
 * small. Two capital letters alone would let "XX" through as a country and print CLDR's
 * "Unknown Region" for it.
 */
const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(isoCountryTable.map(([alpha2]) => alpha2!));

/** True for an assigned ISO 3166-1 alpha-2 code such as "DE". */
export function isCountryCode(code: string): boolean {
  return ISO_COUNTRY_CODES.has(code);
}

/** The 27 EU member states plus Iceland, Liechtenstein and Norway (EEA): no transfer. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV',
  'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
]);

/**
 * Countries with an adequacy decision under Art. 45 GDPR (as of 2026). The United States has
 * one only for organisations certified under the EU-US Data Privacy Framework, which is its own
 * mechanism (`eu-us-dpf`), so it is not listed here.
 */
export const ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set([
  'AD', 'AR', 'CA', 'CH', 'FO', 'GB', 'GG', 'IL', 'IM', 'JE', 'JP', 'KR', 'NZ', 'UY',
]);

/**
 * Region-wide locations an AVV may name instead of a country ("in der EU", "im EWR"): both lie
 * inside the EU/EEA, so no transfer mechanism is needed for them.
 */
export const REGION_WIDE_LOCATIONS: ReadonlySet<string> = new Set(['EU', 'EEA']);

/** True for an EEA country and for the region-wide codes EU and EEA. */
export function isInEea(country: string): boolean {
  return EEA_COUNTRIES.has(country) || REGION_WIDE_LOCATIONS.has(country);
}

export function hasAdequacyDecision(country: string): boolean {
  return ADEQUATE_COUNTRIES.has(country);
}

/** The country's name in the UI language, from the runtime's CLDR data (Node and workerd). */
export function countryName(country: string, language: 'de' | 'en'): string {
  // CLDR has no region code for the EEA; "EU" it knows.
  if (country === 'EEA') return language === 'de' ? 'EU/EWR' : 'EU/EEA';
  return REGION_NAMES[language].of(country) ?? country;
}

// Built once: constructing DisplayNames per call was a measurable share of the build.
const REGION_NAMES = { de: new Intl.DisplayNames(['de'], { type: 'region' }), en: new Intl.DisplayNames(['en'], { type: 'region' }) };
