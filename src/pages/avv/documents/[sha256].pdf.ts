import type { APIRoute } from 'astro';
import { pageAvvPdf } from '../../../lib/avv-pdf-prerender.ts';
import { documentStateFromCanonical, type DocumentState } from '../../../lib/document-state.ts';
import { allDocumentStates, loadPublication } from '../../../lib/publication.ts';

export const prerender = true;

/**
 * One PDF per archived document state (every state ever offered for acceptance, next to its
 * `/avv/documents/<sha256>.json`), named by its SHA-256 like the state itself.
 */
export async function getStaticPaths() {
  const states = (await allDocumentStates()).map((state) => ({ sha256: state.sha256, canonical: state.canonical }));
  const unique = [...new Map(states.map((state) => [state.sha256, state])).values()];
  return Promise.all(unique.map(async ({ sha256, canonical }) => ({ params: { sha256 }, props: { state: await documentStateFromCanonical(sha256, canonical) } })));
}

/**
 * The contract with its annexes as a file to print and archive; rendered at build time only,
 * only when no earlier build left the same file in the cache (src/lib/avv-pdf-cache.ts), and
 * during `astro build` ahead on a worker thread (src/lib/avv-pdf-prerender.ts).
 */
export const GET: APIRoute<{ state: DocumentState }> = async ({ props }) => {
  const { dataCategories } = await loadPublication();
  return new Response(await pageAvvPdf(props.state, dataCategories), { headers: { 'content-type': 'application/pdf' } });
};
