import path from 'node:path';
import type { APIRoute } from 'astro';
import { buildCacheDir } from '../../lib/build-cache-dir.ts';
import { loadPublication } from '../../lib/publication.ts';
import { listSitePages, listSocialCards } from '../../lib/site-pages.ts';
import { prerenderSocialCards, renderSocialCard, type SocialCardText } from '../../lib/social-card.ts';

export const prerender = true;

const cacheDir = path.resolve(buildCacheDir(), 'social-cards');

export async function getStaticPaths() {
  const publication = await loadPublication();
  const brand = `${publication.vendor.shortName} Trust Center`;
  const cards = listSocialCards(listSitePages(publication)).map(({ card, title, subtitle }) => ({ params: { card }, props: { brand, title, subtitle } }));
  prerenderSocialCards(cards.map((card) => card.props), cacheDir);
  return cards;
}

export const GET: APIRoute<SocialCardText> = async ({ props }) => new Response(await renderSocialCard(props, cacheDir), { headers: { 'content-type': 'image/png' } });
