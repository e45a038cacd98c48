import { berlinDateOf } from '../../src/domain/calendar-date.ts';
import type { Manifest, ManifestAcceptanceWording, ManifestAvvVersion } from '../../src/domain/manifest.ts';
import { versionInForceOn } from '../../src/domain/version-in-force.ts';

/** What a customer accepts today: the AVV version in force (Europe/Berlin) and the wording. */
export interface CurrentTerms {
  avv: ManifestAvvVersion;
  wording: ManifestAcceptanceWording;
}

/**
 * Selected from the manifest, never re-derived: the build computed each version's document
 * hash, and a version published as upcoming becomes current on its effective date without a
 * new build.
 */
export function currentTerms(manifest: Manifest, now = new Date()): CurrentTerms | null {
  const avv = versionInForceOn(manifest.avvVersions, berlinDateOf(now));
  return avv ? { avv, wording: manifest.acceptanceWording } : null;
}

/**
 * Where the receipt says the accepted document lives: its archive URL once the build listed the
 * state as offered (always, for the version current on the build day). A version that became
 * current after the last build is only at its own document path until the next build archives it.
 */
export function acceptedDocumentUrl(manifest: Manifest, avv: ManifestAvvVersion): string {
  const archived = manifest.documentStates.find((state) => state.sha256 === avv.documentSha256);
  return new URL(archived?.path ?? avv.documentPath, manifest.siteUrl).href;
}
