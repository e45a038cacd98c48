import type { APIRoute } from 'astro';
import { renderAvvPdf } from '../../../lib/avv-pdf.ts';
import { documentStateFromCanonical, type DocumentState } from '../../../lib/document-state.ts';
import { loadPublication } from '../../../lib/publication.ts';

export const prerender = true;

/**
 * One PDF per published document state, named by its SHA-256 like the state itself. For now
 * the states are those the build hashes for its AVV versions; once the archive of every state
 * ever offered is published, only the list `states` is read from changes.
 */
export async function getStaticPaths() {
  const states = (await loadPublication()).avvVersions.map((version) => ({ sha256: version.documentSha256, canonical: version.documentCanonical }));
  const unique = [...new Map(states.map((state) => [state.sha256, state])).values()];
  return Promise.all(unique.map(async ({ sha256, canonical }) => ({ params: { sha256 }, props: { state: await documentStateFromCanonical(sha256, canonical) } })));
}

/** The contract with its annexes as a file to print and archive; rendered at build time only. */
export const GET: APIRoute<{ state: DocumentState }> = async ({ props }) =>
  new Response(await renderAvvPdf(props.state), { headers: { 'content-type': 'application/pdf' } });
