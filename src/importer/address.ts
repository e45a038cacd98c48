import { placeOfName } from './countries.ts';

/** A postal address split only as far as the text allows; parts it does not state stay undefined. */
export interface AddressDraft {
  /** The address as printed. */
  text: string;
  street?: string;
  postalCode?: string;
  city?: string;
  /** ISO code of the country named in the address. */
  country?: string;
}

const POSTAL_CITY = /^(?:(?:[A-Z]{1,2})-)?(\d{4} ?[A-Z]{2}(?= )|\d{3} \d{2}(?= )|\d{4,5}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\s+(\p{L}.*)$/u;
const STREET_WORD = /(straße|strasse|str\.|street|st\.|weg|platz|allee|avenue|ave\.|road|rd\.|rue|gasse|ring|damm|ufer|chaussee|boulevard|lane|drive)\b/i;
const CITY_POSTAL = /^(\p{L}[\p{L} .'-]*?),?\s+(?:[A-Z]{2}\s+)?(\d{5}(?:-\d{4})?)$/u;

/**
 * Splits "Industriestr. 25, 91710 Gunzenhausen, Deutschland" into street, postal code, city and
 * country. "Hanau, Deutschland" yields only city and country; anything it cannot place is left
 * out rather than guessed.
 */
export function parseAddress(raw: string): AddressDraft {
  const text = raw.replace(/\s+/g, ' ').trim().replace(/[.;]$/, '');
  const parts = text.split(/\s*,\s*/).filter(Boolean);
  const draft: AddressDraft = { text };
  const last = parts.at(-1);
  const place = last === undefined ? undefined : placeOfName(last);
  if (place?.kind === 'country') {
    draft.country = place.code;
    parts.pop();
  }
  const postalIndex = parts.findIndex((part) => POSTAL_CITY.test(part) && !STREET_WORD.test(part));
  if (postalIndex >= 0) {
    const [, postalCode, city] = POSTAL_CITY.exec(parts[postalIndex]!)!;
    draft.postalCode = postalCode!;
    draft.city = city!.trim();
    if (postalIndex > 0) draft.street = parts.slice(0, postalIndex).join(', ');
    return draft;
  }
  // "10117, Berlin": the postal code set off by a comma.
  const bareIndex = parts.findIndex((part, index) => /^\d{4,5}$/.test(part) && index + 1 < parts.length);
  if (bareIndex >= 0) {
    draft.postalCode = parts[bareIndex]!;
    draft.city = parts[bareIndex + 1]!;
    if (bareIndex > 0) draft.street = parts.slice(0, bareIndex).join(', ');
    return draft;
  }
  // US style with every part set off: "500 Pine Street, Seattle, WA 98101" (city with its state).
  const stateZipIndex = parts.findIndex((part) => /^[A-Z]{2} \d{5}(?:-\d{4})?$/.test(part));
  if (stateZipIndex >= 2 && !/\d/.test(parts[stateZipIndex - 1]!)) {
    const [state, zip] = parts[stateZipIndex]!.split(' ') as [string, string];
    draft.postalCode = zip;
    draft.city = `${parts[stateZipIndex - 1]!}, ${state}`;
    draft.street = parts.slice(0, stateZipIndex - 1).join(', ');
    return draft;
  }
  // US style run together: "1801 California Street, Suite 500 Denver, Colorado 80202" (only the ZIP code is certain).
  const usIndex = parts.findIndex((part) => CITY_POSTAL.test(part));
  if (usIndex > 0) {
    draft.postalCode = CITY_POSTAL.exec(parts[usIndex]!)![2]!;
    return draft;
  }
  if (parts.length === 1 && draft.country !== undefined && !/\d/.test(parts[0]!)) draft.city = parts[0]!;
  return draft;
}
