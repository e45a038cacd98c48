import type { APIRoute } from 'astro';
import type { LangProps } from '../lang-paths.ts';
import type { FeedFormat } from '../paths.ts';
import { loadPublication } from '../publication.ts';
import { renderAtom } from './atom.ts';
import { buildChangeFeed } from './entries.ts';
import { renderICalendar } from './icalendar.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

/*
 * The Content-Type headers below only apply while Astro serves the files (dev); prerendered files
 * are served by Cloudflare's static assets, which take the type from the extension and
 * public/_headers.
 */
const CONTENT_TYPES: Record<FeedFormat | 'ics', string> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
};

const RENDERERS = { atom: renderAtom, rss: renderRss, json: renderJsonFeed };

/** The GET handler of one prerendered change feed, in the language of its `[...lang]` path. */
export function feedRoute(format: FeedFormat): APIRoute<LangProps> {
  return async ({ props: { lang } }) => {
    const feed = buildChangeFeed(await loadPublication(), lang);
    return new Response(RENDERERS[format](feed), { headers: { 'content-type': CONTENT_TYPES[format] } });
  };
}

/** The GET handler of the prerendered calendar, in the language of its `[...lang]` path. */
export function calendarRoute(): APIRoute<LangProps> {
  return async ({ props: { lang } }) => {
    const publication = await loadPublication();
    return new Response(renderICalendar(buildChangeFeed(publication, lang), publication.vendor), { headers: { 'content-type': CONTENT_TYPES.ics } });
  };
}
