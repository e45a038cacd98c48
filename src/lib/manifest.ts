import { ManifestSchema, type Manifest } from '../domain/manifest.ts';
import { retentionPeriodsOf, type RetentionPeriods } from '../domain/retention.ts';
import type { Publication } from './publication.ts';
import { postalAddressLine } from './postal-address-line.ts';
import { paths } from './paths.ts';
import { findingMessage } from '../i18n/finding-text.ts';

/** The manifest the Worker trusts, derived from the validated publication. */
export function buildManifest(publication: Publication): Manifest {
  const manifest: Manifest = {
    format: 'trust-center/manifest@2',
    buildDate: publication.buildDate,
    siteUrl: publication.vendor.siteUrl,
    vendor: publication.vendor.legalName,
    ...(publication.currentAvv && { currentAvvVersion: publication.currentAvv.data.version }),
    avvVersions: publication.avvVersions.map((version) => ({
      version: version.data.version,
      title: version.data.title,
      ...(version.translation?.data.title && { titleEn: version.translation.data.title }),
      effectiveDate: version.data.effectiveDate,
      publishedDate: version.data.publishedDate,
      status: version.status,
      documentAsOf: version.documentAsOf,
      documentSha256: version.documentSha256,
      documentPath: paths.avvDocument(version.data.version),
      tomsVersion: version.tomsVersion,
      subprocessors: version.subprocessorSlugs,
      changeRules: version.data.changeRules,
    })),
    documentStates: publication.documentStates.map((state) => ({
      sha256: state.sha256,
      path: paths.archivedDocument(state.sha256),
      pagePath: paths.archivedDocumentPage('de', state.sha256),
      avvVersion: state.avvVersion,
      tomsVersion: state.tomsVersion,
      subprocessors: state.subprocessorSlugs,
      asOf: state.asOf,
      offeredFrom: state.offeredFrom,
      ...(state.offeredUntil !== undefined && { offeredUntil: state.offeredUntil }),
    })),
    receiptKeys: publication.receiptKeys.map(({ keyId, publicKey, validFrom, validUntil, localDevelopment }) => ({
      keyId,
      publicKey,
      validFrom,
      ...(validUntil !== undefined && { validUntil }),
      ...(localDevelopment && { localDevelopment: true as const }),
    })),
    acceptanceWording: {
      version: publication.acceptanceWording.version,
      effectiveDate: publication.acceptanceWording.effectiveDate,
      text: publication.acceptanceWording.text,
      sha256: publication.acceptanceWording.sha256,
    },
    changes: publication.changes.map((change) => ({
      id: change.id,
      kind: change.data.kind,
      title: change.data.title.de,
      ...(change.data.title.en && { titleEn: change.data.title.en }),
      subprocessors: change.data.subprocessors,
      ...(change.data.replaces && { replaces: change.data.replaces }),
      announcedDate: change.data.announcedDate,
      effectiveDate: change.data.effectiveDate,
      terms: change.terms,
      path: paths.change('de', change.id),
    })),
    tomsVersions: publication.tomVersions.map(({ data }) => ({ version: data.version, effectiveDate: data.effectiveDate })),
    subprocessorNames: Object.fromEntries(publication.subprocessors.map((subprocessor) => [subprocessor.slug, subprocessor.data.name])),
    declarationContact: declarationContact(publication),
    acknowledgedFindings: publication.acknowledgedFindings.map((found) => ({ rule: found.rule, severity: found.severity, legalReference: found.legalReference, file: found.file, field: found.field, message: findingMessage(found, 'en'), reason: found.reason })),
    // Complete: the build refused a notice that leaves a rule out (validate-publication.ts).
    retention: retentionPeriodsOf(publication.privacyNotice.processing.flatMap((activity) => activity.retention)) as RetentionPeriods,
  };
  // Parsing what we emit guarantees the Worker can read it with the same schema.
  return ManifestSchema.parse(manifest);
}

/** Where declarations go; the postal address only where the vendor gives one for them. */
function declarationContact(publication: Publication): Manifest['declarationContact'] {
  const { name, email, phone, postalAddress } = publication.vendor.instructionsContact;
  return { name, email, ...(phone && { phone }), ...(postalAddress && { postalAddress: postalAddressLine(postalAddress, 'de') }) };
}
