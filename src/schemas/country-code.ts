import { z } from 'zod';
import { isCountryCode } from '../domain/countries.ts';

/**
 * An assigned ISO 3166-1 alpha-2 country code, e.g. "DE". `example` names a code that fits the
 * field in the message ("US" for a transfer, "DE" for an address).
 */
export function countryCodeSchema(example: string) {
  return z.string().refine(isCountryCode, `expected an assigned ISO 3166-1 alpha-2 code such as "${example}"`);
}
