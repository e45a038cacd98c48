import { z } from 'zod';

/** A postal address, printed as given. */
export const PostalAddressSchema = z.strictObject({
  /** Street and number. Example: "Hafenstraße 12". */
  street: z.string().min(1),
  /** Postal code. Example: "20457". */
  postalCode: z.string().min(1),
  /** City. Example: "Hamburg". */
  city: z.string().min(1),
  /** ISO 3166-1 alpha-2 country code. Example: "DE". */
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "DE"'),
});
export type PostalAddress = z.output<typeof PostalAddressSchema>;
