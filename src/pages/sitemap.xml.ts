import type { APIRoute } from 'astro';
import { loadPublication } from '../lib/publication.ts';
import { listSitePages } from '../lib/site-pages.ts';

export const prerender = true;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Every HTML page in both languages; the accessibility test visits exactly these. */
export const GET: APIRoute = async () => {
  const publication = await loadPublication();
  const site = publication.vendor.siteUrl.replace(/\/$/, '');
  const urls = listSitePages(publication)
    .flatMap((page) => page.paths)
    .map((path) => `  <url><loc>${escapeXml(site + path)}</loc><lastmod>${publication.buildDate}</lastmod></url>`);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
  return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
