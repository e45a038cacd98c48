import type { AcceptanceDocument } from '../domain/acceptance-document.ts';
import { sha256Hex } from '../domain/sha256.ts';
import { AcceptanceDocumentSchema } from '../schemas/acceptance-document.ts';

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
  /** What `canonical` encodes, parsed and checked. */
  document: AcceptanceDocument;
}

/**
 * A document state from its published bytes: refuses bytes that do not hash to `sha256` or do
 * not have the shape of an acceptance document, so a renderer never prints a hash over other text.
 */
export async function documentStateFromCanonical(sha256: string, canonical: string): Promise<DocumentState> {
  const actual = await sha256Hex(canonical);
  if (actual !== sha256) throw new Error(`document state ${sha256}: its canonical bytes hash to ${actual}`);
  const raw: unknown = JSON.parse(canonical);
  const parsed = AcceptanceDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`document state ${sha256}: not an acceptance document: ${parsed.error.message}`);
  // The checked bytes as they are: parsing fills schema defaults the hashed document left out.
  return { sha256, canonical, document: raw as AcceptanceDocument };
}
