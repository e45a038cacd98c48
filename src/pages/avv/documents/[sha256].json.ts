import type { APIRoute } from 'astro';
import { documentStatePaths } from '../../../lib/static-paths.ts';
import type { DocumentState } from '../../../lib/publication.ts';

export const prerender = true;
export const getStaticPaths = documentStatePaths;

/**
 * An archived document state, byte for byte as hashed (no trailing newline), at a URL named by
 * its SHA-256: a receipt's `documentSha256` finds the accepted text in every later build.
 */
export const GET: APIRoute<{ state: DocumentState }> = ({ props }) =>
  new Response(props.state.canonical, { headers: { 'content-type': 'application/json; charset=utf-8' } });
