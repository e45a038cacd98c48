import { paths } from '../paths.ts';
import type { ChangeFeed, FeedEntry } from './entries.ts';
import { dayToInstant, escapeXml } from './markup.ts';

/** RFC 822 date as RSS 2.0 wants it, e.g. "Fri, 20 Nov 2026 00:00:00 GMT". */
const rfc822 = (day: string) => new Date(dayToInstant(day)).toUTCString();

/**
 * RSS 2.0 with the Atom self link readers and validators expect. The guid is the same tag URI
 * as the Atom entry id, marked as not a permalink because it is not a URL.
 */
export function renderRss(feed: ChangeFeed): string {
  const self = feed.site + paths.feed(feed.lang, 'rss');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${escapeXml(feed.title)}</title>`,
    `    <link>${escapeXml(feed.homeUrl)}</link>`,
    `    <description>${escapeXml(feed.subtitle)}</description>`,
    `    <language>${feed.lang}</language>`,
    `    <atom:link rel="self" type="application/rss+xml" href="${escapeXml(self)}"/>`,
    // The day of the newest entry, not the build time: the same content gives the same bytes.
    `    <lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>`,
    ...feed.entries.map(renderItem),
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

function renderItem(entry: FeedEntry): string {
  return [
    '    <item>',
    `      <title>${escapeXml(entry.title)}</title>`,
    `      <link>${escapeXml(entry.url)}</link>`,
    `      <guid isPermaLink="false">${escapeXml(entry.id)}</guid>`,
    `      <pubDate>${rfc822(entry.published)}</pubDate>`,
    `      <category>${escapeXml(entry.categoryLabel)}</category>`,
    `      <description>${escapeXml(`<p>${escapeXml(entry.summary)}</p>${entry.contentHtml}`)}</description>`,
    '    </item>',
  ].join('\n');
}
