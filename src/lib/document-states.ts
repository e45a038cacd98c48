import type { AcceptanceDocument } from '../domain/acceptance-document.ts';
import { loadPublication } from './publication.ts';

/**
 * One state of the document a customer accepts: the exact canonical bytes whose SHA-256 the
 * acceptance records store, and the document they encode. Renderers (the PDF) read nothing
 * else, so they work for any state ever offered, not only for today's.
 */
export interface DocumentState {
  /** SHA-256 (hex) of `canonical`; the id of the state in URLs and acceptance records. */
  sha256: string;
  /** The canonical JSON (RFC 8785) served as document.json. */
  canonical: string;
  document: AcceptanceDocument;
}

/**
 * The document states this build publishes, one per hash. For now these are the states the
 * build hashes for its AVV versions (src/lib/publication.ts); once the archive of every state
 * ever offered is published, this reads that listing instead and every renderer follows.
 */
export async function publishedDocumentStates(): Promise<DocumentState[]> {
  const { avvVersions } = await loadPublication();
  const states = new Map<string, DocumentState>();
  for (const version of avvVersions) {
    states.set(version.documentSha256, { sha256: version.documentSha256, canonical: version.documentCanonical, document: version.document });
  }
  return [...states.values()];
}
