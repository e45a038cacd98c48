/**
 * Countries whose names the site prints and whose status decides whether a transfer
 * mechanism (Chapter V GDPR) is required. Pure data, shared by the build and the Worker.
 */

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
