import type { Change } from '../schemas/change.ts';
import { computeChangeTerms, type ChangeTerms } from './change-terms.ts';
import type { PublicationSource, SourceEntry } from './publication-source.ts';
import { combinedThirdCountryStatus, thirdCountryStatus } from './subprocessor-facts.ts';
import { versionInForceOn } from './version-in-force.ts';

/**
 * The terms of every change in a content tree, computed with the facts of the subprocessors it
 * concerns and vendor.holidayRegion. Validation, findings and the publication all call this, so
 * the terms they judge are the terms the site shows.
 * `terms` is undefined when no AVV version is in force on the announcement day.
 */
export function termsOfChanges(source: PublicationSource): Array<{ entry: SourceEntry<Change>; terms: ChangeTerms | undefined }> {
  const avvVersions = source.avvVersions.map((entry) => entry.data);
  const subprocessors = new Map(source.subprocessors.map((entry) => [entry.id, entry.data]));
  return source.changes.map((entry) => {
    if (!versionInForceOn(avvVersions, entry.data.announcedDate)) return { entry, terms: undefined };
    const concerned = entry.data.subprocessors.flatMap((slug) => {
      const subprocessor = subprocessors.get(slug);
      return subprocessor ? [thirdCountryStatus(subprocessor)] : [];
    });
    const terms = computeChangeTerms(entry.data, avvVersions, {
      vendorHolidayRegion: source.vendor?.data.holidayRegion ?? 'BUND',
      thirdCountry: combinedThirdCountryStatus(concerned),
      day: source.buildDate,
    });
    return { entry, terms };
  });
}
