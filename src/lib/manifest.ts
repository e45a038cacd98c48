import { ManifestSchema, type Manifest } from '../domain/manifest.ts';
import type { Publication } from './publication.ts';
import { paths } from './paths.ts';

/** The manifest the Worker trusts, derived from the validated publication. */
export function buildManifest(publication: Publication): Manifest {
  const manifest: Manifest = {
    format: 'trust-center/manifest@1',
    buildDate: publication.buildDate,
    siteUrl: publication.vendor.siteUrl,
    vendor: publication.vendor.legalName,
    ...(publication.currentAvv && { currentAvvVersion: publication.currentAvv.data.version }),
    avvVersions: publication.avvVersions.map((version) => ({
      version: version.data.version,
      title: version.data.title,
      effectiveDate: version.data.effectiveDate,
      publishedDate: version.data.publishedDate,
      status: version.status,
      documentAsOf: version.documentAsOf,
      documentSha256: version.documentSha256,
      documentPath: paths.avvDocument(version.data.version),
      tomsVersion: version.tomsVersion,
      subprocessors: version.subprocessorSlugs,
      noticePolicy: version.data.noticePolicy,
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
      subprocessors: change.data.subprocessors,
      ...(change.data.replaces && { replaces: change.data.replaces }),
      announcedDate: change.data.announcedDate,
      effectiveDate: change.data.effectiveDate,
      ...change.schedule,
      path: paths.change('de', change.id),
    })),
  };
  // Parsing what we emit guarantees the Worker can read it with the same schema.
  return ManifestSchema.parse(manifest);
}
