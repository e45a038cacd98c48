import { paths } from '../paths.ts';
import type { ChangeFeed, FeedEntry } from './entries.ts';
import { dayToInstant, escapeXml } from './markup.ts';

/** Atom 1.0 (RFC 4287). The feed's id is its own URL; entry ids are tag URIs (see entryId). */
export function renderAtom(feed: ChangeFeed): string {
  const self = feed.site + paths.feed(feed.lang, 'atom');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lang}">`,
    `  <id>${escapeXml(self)}</id>`,
    `  <title type="text">${escapeXml(feed.title)}</title>`,
    `  <subtitle type="text">${escapeXml(feed.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    `  <link rel="alternate" type="text/html" hreflang="${feed.lang}" href="${escapeXml(feed.homeUrl)}"/>`,
    `  <updated>${dayToInstant(feed.updated)}</updated>`,
    `  <author><name>${escapeXml(feed.author.name)}</name><uri>${escapeXml(feed.author.url)}</uri></author>`,
    `  <icon>${escapeXml(feed.iconUrl)}</icon>`,
    ...feed.entries.map((entry) => renderEntry(entry, feed.lang)),
    '</feed>',
    '',
  ].join('\n');
}

function renderEntry(entry: FeedEntry, lang: string): string {
  return [
    '  <entry>',
    `    <id>${escapeXml(entry.id)}</id>`,
    `    <title type="text">${escapeXml(entry.title)}</title>`,
    `    <link rel="alternate" type="text/html" hreflang="${lang}" href="${escapeXml(entry.url)}"/>`,
    ...entry.related.map((link) => `    <link rel="related" type="text/html" href="${escapeXml(link.href)}" title="${escapeXml(link.title)}"/>`),
    `    <published>${dayToInstant(entry.published)}</published>`,
    `    <updated>${dayToInstant(entry.updated)}</updated>`,
    `    <category term="${entry.kind}" label="${escapeXml(entry.categoryLabel)}"/>`,
    ...(entry.facts.changeKind ? [`    <category term="${entry.facts.changeKind}"/>`] : []),
    `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
    `    <content type="html">${escapeXml(entry.contentHtml)}</content>`,
    '  </entry>',
  ].join('\n');
}
