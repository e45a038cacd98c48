import type { APIRoute } from 'astro';
import { avvVersionPaths } from '../../../lib/static-paths.ts';
import type { PublishedAvvVersion } from '../../../lib/publication.ts';

export const prerender = true;
export const getStaticPaths = avvVersionPaths;

/**
 * The exact canonical bytes whose SHA-256 is the version's document hash, so anyone can check
 * an acceptance record with `sha256sum document.json`. No trailing newline: it would change the hash.
 */
export const GET: APIRoute<{ version: PublishedAvvVersion }> = ({ props }) =>
  new Response(props.version.documentCanonical, { headers: { 'content-type': 'application/json; charset=utf-8' } });
