import { createHash } from 'node:crypto';
import { documentStateOn, type AcceptanceDocument } from '../domain/acceptance-document.ts';
import { canonicalJson, type JsonValue } from '../domain/canonical-json.ts';
import { offeredDocumentPeriods, type OfferedPeriod } from '../domain/document-states.ts';
import type { StateFingerprint } from '../domain/published-states-lock.ts';
import type { PublicationSource } from '../domain/publication-source.ts';

/**
 * The document states a content tree derives up to its build day, hashed as the archive hashes
 * them (/avv/documents/<sha256>.json) and split into each file's part, for the lock check. Node's
 * synchronous SHA-256, so `npm run check` stays synchronous; the bytes are the same canonical
 * JSON the build hashes with WebCrypto, and the build compares both (src/lib/publication.ts).
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The path of a content file inside its content folder, as the lock names it. Example: "subprocessors/helpdeskly.yaml". */
export const lockPartKey = {
  avv: (id: string) => `avv/${id}.md`,
  toms: (id: string) => `toms/${id}.md`,
  subprocessor: (slug: string) => `subprocessors/${slug}.yaml`,
};

/** One document state as the files derive it: its period, the files it comes from, and the document. */
export interface SourceDocumentState {
  period: OfferedPeriod;
  /** Ids (file names) of the AVV version and the TOMs version in the document. */
  avvId: string;
  tomsId: string;
  document: AcceptanceDocument;
}

/**
 * The document states a content tree offered up to its build day, oldest first, read from the
 * files as `npm run check` reads them: the lock check hashes them, and the build's PDF
 * pre-render (src/integrations/avv-pdf-prerender.ts) renders them before Astro has loaded any
 * content. The build compares these hashes with its own archive (src/lib/publication.ts).
 */
export function sourceDocumentStates(source: PublicationSource): SourceDocumentState[] {
  const toms = source.tomVersions.map((entry) => ({ ...entry.data, body: entry.data.body ?? '' }));
  const subprocessors = source.subprocessors.map((entry) => ({ ...entry.data, slug: entry.id }));
  const periods = offeredDocumentPeriods(
    source.avvVersions.map((entry) => entry.data),
    [...toms, ...subprocessors],
    source.buildDate,
  );
  return periods.flatMap((period): SourceDocumentState[] => {
    const avv = source.avvVersions.find((entry) => entry.data.version === period.avvVersion);
    const state = avv && documentStateOn(period.asOf, avv.data, toms, subprocessors);
    if (!avv || !state) return [];
    return [{ period, avvId: avv.id, tomsId: source.tomVersions.find((entry) => entry.data.version === state.toms.version)!.id, document: state.document }];
  });
}

export function stateFingerprints(source: PublicationSource): StateFingerprint[] {
  return sourceDocumentStates(source).map(({ period, avvId, tomsId, document }) => {
    // Each part is serialised once: its JSON is hashed on its own and reused in the document's.
    const known = new Map<object, string>();
    const partHash = (value: object) => {
      const json = canonicalJson(value as JsonValue);
      known.set(value, json);
      return sha256(json);
    };
    const parts: Record<string, string> = {
      [lockPartKey.avv(avvId)]: partHash(document.avv),
      [lockPartKey.toms(tomsId)]: partHash(document.toms),
    };
    for (const subprocessor of document.subprocessors) parts[lockPartKey.subprocessor(subprocessor.slug)] = partHash(subprocessor);
    return { ...period, sha256: sha256(canonicalJson(document as unknown as JsonValue, known)), parts };
  });
}
