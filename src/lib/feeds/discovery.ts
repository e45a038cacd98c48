import type { UiKey } from '../../i18n/ui.ts';
import { paths, type Lang } from '../paths.ts';

/** A feed or calendar as pages announce it (auto-discovery links and the subscribe block). */
export interface FeedType {
  /** UI string naming it. */
  label: UiKey;
  /** Media type, as in `<link rel="alternate" type=…>` and the served Content-Type. */
  type: string;
  href: (lang: Lang) => string;
}

/** Every subscribable file, in the order pages list them. */
export const FEED_TYPES: readonly FeedType[] = [
  { label: 'feedAtom', type: 'application/atom+xml', href: (lang) => paths.feed(lang, 'atom') },
  { label: 'feedRss', type: 'application/rss+xml', href: (lang) => paths.feed(lang, 'rss') },
  { label: 'feedJson', type: 'application/feed+json', href: (lang) => paths.feed(lang, 'json') },
  { label: 'calendarIcs', type: 'text/calendar', href: (lang) => paths.calendar(lang) },
];
