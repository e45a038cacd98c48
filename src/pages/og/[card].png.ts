import type { APIRoute } from 'astro';
import { loadPublication } from '../../lib/publication.ts';
import { listSitePages, listSocialCards } from '../../lib/site-pages.ts';
import { prerenderSocialCards, renderSocialCard, socialCardCacheDir, type SocialCardText } from '../../lib/social-card.ts';

export const prerender = true;

const cacheDir = socialCardCacheDir();

export async function getStaticPaths() {
  const publication = await loadPublication();
  const brand = `${publication.vendor.shortName} Trust Center`;
  const cards = listSocialCards(listSitePages(publication)).map(({ card, title, subtitle }) => ({ params: { card }, props: { brand, title, subtitle } }));
  prerenderSocialCards(cards.map((card) => card.props), cacheDir);
  return cards;
}

export const GET: APIRoute<SocialCardText> = async ({ props }) => new Response(await renderSocialCard(props, cacheDir), { headers: { 'content-type': 'image/png' } });
