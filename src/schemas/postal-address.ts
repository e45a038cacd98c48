import { z } from 'zod';
import { countryCodeSchema } from './country-code.ts';
import { statedOr } from './not-stated.ts';

/**
 * A postal address, printed as given. Only the country is always needed (it decides whether a
 * transfer leaves the EU/EEA); AVVs often give no more than "Hanau, Deutschland", so street,
 * postal code and city may each be `not-stated`.
 * Example: `{ street: "Hafenstraße 12", postalCode: "20457", city: Hamburg, country: DE }`.
 */
export const PostalAddressSchema = z.strictObject({
  /** Street and number, or `not-stated`. Example: "Hafenstraße 12". */
  street: statedOr(z.string().min(1)),
  /** Postal code (write it in quotes), or `not-stated`. Example: "20457". */
  postalCode: statedOr(z.string().min(1)),
  /** City, or `not-stated`. Example: "Hamburg". */
  city: statedOr(z.string().min(1)),
  /** ISO 3166-1 alpha-2 country code. Example: "DE". */
  country: countryCodeSchema('DE'),
});
export type PostalAddress = z.output<typeof PostalAddressSchema>;
