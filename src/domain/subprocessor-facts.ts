import type { ProcessingLocation, Subprocessor, TransferMechanism } from '../schemas/subprocessor.ts';
import { NOT_STATED } from '../schemas/not-stated.ts';
import { isInEea } from './countries.ts';

/**
 * Facts derived from one subprocessor's record, shared by validation, findings, change terms and
 * the pages, so "is this a third country" is answered in one place.
 */

/** Countries outside the EU/EEA among the stated locations, in order of first mention. */
export function thirdCountriesOf(locations: Subprocessor['locations']): string[] {
  if (locations === NOT_STATED) return [];
  return [...new Set(locations.map((location: ProcessingLocation) => location.country).filter((country) => !isInEea(country)))];
}

/**
 * Whether data reaches a country outside the EU/EEA through this subprocessor, its own
 * locations or its onward transfers: `unknown` when it cannot be told because the locations
 * are not stated and no onward transfer leaves the EEA.
 */
export function thirdCountryStatus(subprocessor: Pick<Subprocessor, 'locations' | 'onwardTransfers'>): 'yes' | 'no' | 'unknown' {
  if (thirdCountriesOf(subprocessor.locations).length > 0) return 'yes';
  if (subprocessor.onwardTransfers.some((onward) => !isInEea(onward.country))) return 'yes';
  return subprocessor.locations === NOT_STATED ? 'unknown' : 'no';
}

/** Combined status of several subprocessors (a change may concern more than one). */
export function combinedThirdCountryStatus(statuses: ReadonlyArray<'yes' | 'no' | 'unknown'>): 'yes' | 'no' | 'unknown' {
  if (statuses.includes('yes')) return 'yes';
  return statuses.includes('unknown') ? 'unknown' : 'no';
}

/** The stated mechanisms that cover transfers to `country` (those without a country cover all). */
export function mechanismsFor(transfers: readonly TransferMechanism[], country: string): TransferMechanism[] {
  return transfers.filter((mechanism) => mechanism.country === undefined || mechanism.country === country);
}
