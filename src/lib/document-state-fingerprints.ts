import { createHash } from 'node:crypto';
import { documentStateOn } from '../domain/acceptance-document.ts';
import { canonicalJson, type JsonValue } from '../domain/canonical-json.ts';
import { offeredDocumentPeriods } from '../domain/document-states.ts';
import type { StateFingerprint } from '../domain/published-states-lock.ts';
import type { PublicationSource } from '../domain/publication-source.ts';

/**
 * The document states a content tree derives up to its build day, hashed as the archive hashes
 * them (/avv/documents/<sha256>.json) and split into each file's part, for the lock check. Node's
 * synchronous SHA-256, so `npm run check` stays synchronous; the bytes are the same canonical
 * JSON the build hashes with WebCrypto, and the build compares both (src/lib/publication.ts).
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hashOf = (value: unknown) => sha256(canonicalJson(value as JsonValue));

/** The path of a content file inside its content folder, as the lock names it. Example: "subprocessors/helpdeskly.yaml". */
export const lockPartKey = {
  avv: (id: string) => `avv/${id}.md`,
  toms: (id: string) => `toms/${id}.md`,
  subprocessor: (slug: string) => `subprocessors/${slug}.yaml`,
};

export function stateFingerprints(source: PublicationSource): StateFingerprint[] {
  const toms = source.tomVersions.map((entry) => ({ ...entry.data, body: entry.data.body ?? '' }));
  const subprocessors = source.subprocessors.map((entry) => ({ ...entry.data, slug: entry.id }));
  const periods = offeredDocumentPeriods(
    source.avvVersions.map((entry) => entry.data),
    [...toms, ...subprocessors],
    source.buildDate,
  );
  return periods.flatMap((period): StateFingerprint[] => {
    const avv = source.avvVersions.find((entry) => entry.data.version === period.avvVersion);
    const state = avv && documentStateOn(period.asOf, avv.data, toms, subprocessors);
    if (!avv || !state) return [];
    const { document } = state;
    const parts: Record<string, string> = {
      [lockPartKey.avv(avv.id)]: hashOf(document.avv),
      [lockPartKey.toms(source.tomVersions.find((entry) => entry.data.version === state.toms.version)!.id)]: hashOf(document.toms),
    };
    for (const subprocessor of document.subprocessors) parts[lockPartKey.subprocessor(subprocessor.slug)] = hashOf(subprocessor);
    return [{ ...period, sha256: hashOf(document), parts }];
  });
}
