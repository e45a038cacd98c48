import type { APIRoute } from 'astro';
import { loadPublication } from '../../lib/publication.ts';

export const prerender = true;

/** RFC 9116 security.txt from the vendor profile. */
export const GET: APIRoute = async () => {
  const { vendor } = await loadPublication();
  const { security } = vendor;
  const site = vendor.siteUrl.replace(/\/$/, '');
  const lines = [
    `Contact: ${security.contact}`,
    `Expires: ${security.expires}T00:00:00.000Z`,
    ...(security.policy ? [`Policy: ${security.policy}`] : []),
    `Preferred-Languages: ${security.preferredLanguages.join(', ')}`,
    `Canonical: ${site}/.well-known/security.txt`,
  ];
  return new Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
