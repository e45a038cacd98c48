import type { AddressDraft } from '../address.ts';
import type { Gap } from './gaps.ts';
import { NOT_STATED } from '../../schemas/not-stated.ts';


/**
 * The postal address of a party or subprocessor as `PostalAddressSchema` takes it, and the gaps
 * it leaves. A part the printed address does not give is `not-stated`; a part it gives in a form
 * the importer could not split (a US address: "1801 California Street, Suite 500 Denver,
 * Colorado 80202") is left out for the author, because `not-stated` would print "not stated in
 * the AVV" for a street the AVV prints. An address with a postal code has a street and a city.
 */
export function addressFields(address: AddressDraft, file: string, field: string): { value: Record<string, string>; gaps: Gap[] } {
  const gaps: Gap[] = [];
  const value: Record<string, string> = {};
  const printedButUnsplit = address.postalCode !== undefined;
  for (const part of ['street', 'postalCode', 'city'] as const) {
    const given = address[part];
    if (given !== undefined) value[part] = given;
    else if (printedButUnsplit) gaps.push({ file, field: `${field}.${part}`, why: `the address "${address.text}" gives it in a form the importer could not split; write it as printed` });
    else value[part] = NOT_STATED;
  }
  if (address.country) value.country = address.country;
  else gaps.push({ file, field: `${field}.country`, why: `the address "${address.text}" names no country; write its ISO code` });
  return { value, gaps };
}
