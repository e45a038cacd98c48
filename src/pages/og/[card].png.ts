import type { APIRoute } from 'astro';
import { loadPublication } from '../../lib/publication.ts';
import { listSitePages, type SitePage } from '../../lib/site-pages.ts';
import { renderSocialCard } from '../../lib/social-card.ts';

export const prerender = true;

export async function getStaticPaths() {
  const publication = await loadPublication();
  return listSitePages(publication).map((page) => ({ params: { card: page.card }, props: { page, brand: `${publication.vendor.shortName} Trust Center` } }));
}

export const GET: APIRoute<{ page: SitePage; brand: string }> = async ({ props }) =>
  new Response(await renderSocialCard({ brand: props.brand, title: props.page.title, subtitle: props.page.subtitle }), {
    headers: { 'content-type': 'image/png' },
  });
