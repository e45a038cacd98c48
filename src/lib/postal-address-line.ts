import { countryName } from '../domain/countries.ts';
import type { PostalAddress } from '../schemas/postal-address.ts';
import type { Lang } from './paths.ts';

/**
 * The parts of an address the AVV states: street, and postal code with city; parts written
 * as `not-stated` are left out, never guessed.
 */
export function statedAddressParts(address: PostalAddress): { street?: string; place?: string; complete: boolean } {
  const stated = (part: string) => (part === 'not-stated' ? undefined : part);
  const place = [stated(address.postalCode), stated(address.city)].filter(Boolean).join(' ');
  const street = stated(address.street);
  return {
    ...(street && { street }),
    ...(place && { place }),
    complete: address.street !== 'not-stated' && address.postalCode !== 'not-stated' && address.city !== 'not-stated',
  };
}

/** An address on one line. Example: "Wolkenhof 3, 20457 Hamburg, Deutschland"; "Hanau, Deutschland". */
export function postalAddressLine(address: PostalAddress, lang: Lang): string {
  const { street, place } = statedAddressParts(address);
  return [street, place, countryName(address.country, lang)].filter(Boolean).join(', ');
}
