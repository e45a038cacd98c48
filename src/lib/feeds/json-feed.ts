import { paths } from '../paths.ts';
import type { ChangeFeed } from './entries.ts';
import { dayToInstant } from './markup.ts';

/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Item ids are the Atom entry ids; the
 * `_trust_center` extension object carries the dates and links as data.
 */
export function renderJsonFeed(feed: ChangeFeed): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    description: feed.subtitle,
    home_page_url: feed.homeUrl,
    feed_url: feed.site + paths.feed(feed.lang, 'json'),
    language: feed.lang,
    icon: feed.iconUrl,
    authors: [{ name: feed.author.name, url: feed.author.url }],
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      summary: entry.summary,
      content_html: entry.contentHtml,
      date_published: dayToInstant(entry.published),
      date_modified: dayToInstant(entry.updated),
      tags: [entry.categoryLabel],
      language: feed.lang,
      _trust_center: { ...entry.facts, related: entry.related },
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
