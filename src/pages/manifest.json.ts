import type { APIRoute } from 'astro';
import { buildManifest } from '../lib/manifest.ts';
import { loadPublication } from '../lib/publication.ts';

export const prerender = true;

/** The build's record of what it published; the Worker reads it through the ASSETS binding. */
export const GET: APIRoute = async () =>
  new Response(`${JSON.stringify(buildManifest(await loadPublication()), null, 2)}\n`, {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
