import type { APIRoute } from 'astro';
import { loadPublication } from '../lib/publication.ts';
import { siteChromeOf } from '../lib/site-chrome.ts';

export const prerender = true;

/** Vendor details for the frame of pages the Worker renders per request (src/lib/site-chrome.ts). */
export const GET: APIRoute = async () =>
  new Response(JSON.stringify(siteChromeOf(await loadPublication())), { headers: { 'content-type': 'application/json; charset=utf-8' } });
