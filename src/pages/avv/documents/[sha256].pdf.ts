import type { APIRoute } from 'astro';
import { renderAvvPdf } from '../../../lib/avv-pdf.ts';
import { publishedDocumentStates, type DocumentState } from '../../../lib/document-states.ts';

export const prerender = true;

/** One PDF per published document state, named by its SHA-256 like the state itself. */
export async function getStaticPaths() {
  return (await publishedDocumentStates()).map((state) => ({ params: { sha256: state.sha256 }, props: { state } }));
}

/** The contract with its annexes as a file to print and archive; rendered at build time only. */
export const GET: APIRoute<{ state: DocumentState }> = async ({ props }) =>
  new Response(await renderAvvPdf(props.state), { headers: { 'content-type': 'application/pdf' } });
