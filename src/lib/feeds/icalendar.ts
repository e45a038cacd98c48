import { addDays } from '../../domain/calendar-date.ts';
import { formatDate, t } from '../../i18n/ui.ts';
import { consentWithdrawalFact, deadlineLabel, howToHeading } from '../../i18n/change-terms-text.ts';
import { paths } from '../paths.ts';
import { calendarUid, type ChangeFeed } from './entries.ts';

/** One all-day event of the calendar. */
export interface CalendarEvent {
  /** Derived from the feed entry's id (see calendarUid): as permanent as the entry. */
  uid: string;
  /** The calendar day (YYYY-MM-DD). */
  day: string;
  /** Day the entry was published or last updated: DTSTAMP must not be the build time. */
  stamp: string;
  summary: string;
  description: string;
  url: string;
  category: string;
}

/**
 * Effective dates of every change, AVV and TOMs version, and the last day to object or consent
 * for every change whose governing rule has a fixed period (for a notice received on the
 * announcement day, as the description says), from the same entries the feeds publish.
 */
export function calendarEvents(feed: ChangeFeed): CalendarEvent[] {
  const { lang } = feed;
  const events = feed.entries.flatMap((entry): CalendarEvent[] => {
    const terms = entry.facts.terms;
    // A consent that can be taken back says so in both events, as the feed item's terms do.
    const withdrawal = terms && consentWithdrawalFact(terms, lang);
    const details = withdrawal ? `${entry.summary}\n${withdrawal.label}: ${withdrawal.value}` : entry.summary;
    const effective: CalendarEvent = {
      uid: calendarUid(entry.id, 'effective'),
      day: entry.facts.effectiveDate,
      stamp: entry.updated,
      summary: `${t(lang, 'eventEffective')}: ${entry.title}`,
      description: `${details}\n${entry.url}`,
      url: entry.url,
      category: entry.categoryLabel,
    };
    const deadline = entry.facts.responseDeadline;
    if (!deadline || !entry.facts.declarationUrl || !terms) return [effective];
    return [
      effective,
      {
        uid: calendarUid(entry.id, 'objection-deadline'),
        day: deadline,
        stamp: entry.updated,
        summary: `${deadlineLabel(terms, lang)} ${formatDate(deadline, lang)}: ${entry.title}`,
        description: `${details}\n${howToHeading(terms, lang)}: ${entry.facts.declarationUrl}`,
        url: entry.facts.declarationUrl,
        category: entry.categoryLabel,
      },
    ];
  });
  return events.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}

/** RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks are escaped in TEXT values. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * RFC 5545 §3.1: content lines longer than 75 octets are folded with CRLF and one space,
 * never inside a UTF-8 sequence (so "ä" is not split across lines).
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const compactDay = (day: string) => day.replace(/-/g, '');

/** The calendar as an iCalendar file with CRLF line endings. */
export function renderICalendar(feed: ChangeFeed, vendor: { legalName: string; shortName: string }): string {
  const language = `;LANGUAGE=${feed.lang}`;
  const title = `${vendor.shortName} ${t(feed.lang, 'siteTitle')}: ${t(feed.lang, 'calendarTitle')}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${escapeText(vendor.legalName)}//Trust Center//${feed.lang.toUpperCase()}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME${language}:${escapeText(title)}`,
    `X-WR-CALNAME:${escapeText(title)}`,
    `DESCRIPTION${language}:${escapeText(feed.subtitle)}`,
    `URL;VALUE=URI:${feed.homeUrl}`,
    `SOURCE;VALUE=URI:${feed.site}${paths.calendar(feed.lang)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:P1D',
    'X-PUBLISHED-TTL:P1D',
    ...calendarEvents(feed).flatMap((event) => [
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${compactDay(event.stamp)}T000000Z`,
      `DTSTART;VALUE=DATE:${compactDay(event.day)}`,
      // DTEND of an all-day event is exclusive: the next day.
      `DTEND;VALUE=DATE:${compactDay(addDays(event.day, 1))}`,
      `SUMMARY${language}:${escapeText(event.summary)}`,
      `DESCRIPTION${language}:${escapeText(event.description)}`,
      `URL;VALUE=URI:${event.url}`,
      `CATEGORIES${language}:${escapeText(event.category)}`,
      'CLASS:PUBLIC',
      // A deadline is a reminder, not a meeting: it must not block anyone's free/busy time.
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
