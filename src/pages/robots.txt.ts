import type { APIRoute } from 'astro';
import { loadPublication } from '../lib/publication.ts';

export const prerender = true;

export const GET: APIRoute = async () => {
  const { vendor } = await loadPublication();
  return new Response(`User-agent: *\nDisallow: /api/\nSitemap: ${vendor.siteUrl.replace(/\/$/, '')}/sitemap.xml\n`, {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
};
