import { berlinDateOf } from './calendar-date.ts';
import { responseDeadlineFor } from './change-terms.ts';
import { publicationItemId, type PublicationItemType } from './publication-ids.ts';
import type { Manifest, ManifestAvvVersion, ManifestChange, ManifestTomsVersion } from './manifest.ts';

/**
 * Something published that subscribers are told about: an announced subprocessor change, a
 * published AVV version or a TOMs version. Derived from the manifest alone, so the Worker
 * never re-derives content.
 */
export type NoticeEvent =
  | { id: string; topic: 'subprocessor-changes'; type: 'subprocessor-change.announced'; publishedDate: string; effectiveDate: string; change: ManifestChange }
  | { id: string; topic: 'avv-versions'; type: 'avv-version.published'; publishedDate: string; effectiveDate: string; avv: ManifestAvvVersion }
  | { id: string; topic: 'toms-updates'; type: 'toms-version.published'; publishedDate: string; effectiveDate: string; toms: ManifestTomsVersion };

export type NoticeEventType = NoticeEvent['type'];

/** The permanent id of an event: the feed entry's id without its language (see publicationItemId). */
export function noticeEventId(siteUrl: string, date: string, kind: PublicationItemType, fileId: string): string {
  return publicationItemId(new URL(siteUrl).hostname, date, kind, fileId);
}

/**
 * Every event published on or before `today` (Europe/Berlin), oldest first. Changes count from
 * their announcement day, AVV versions from their publication day, TOMs versions from their
 * effective day, exactly as the feeds hold them back until then.
 */
export function publishedNoticeEvents(manifest: Manifest, today: string): NoticeEvent[] {
  const { siteUrl } = manifest;
  const events: NoticeEvent[] = [
    ...manifest.changes.map((change): NoticeEvent => ({
      id: noticeEventId(siteUrl, change.announcedDate, 'change', change.id),
      topic: 'subprocessor-changes',
      type: 'subprocessor-change.announced',
      publishedDate: change.announcedDate,
      effectiveDate: change.effectiveDate,
      change,
    })),
    ...manifest.avvVersions.map((avv): NoticeEvent => ({
      id: noticeEventId(siteUrl, avv.publishedDate, 'avv', avv.version),
      topic: 'avv-versions',
      type: 'avv-version.published',
      publishedDate: avv.publishedDate,
      effectiveDate: avv.effectiveDate,
      avv,
    })),
    ...manifest.tomsVersions.map((toms): NoticeEvent => ({
      id: noticeEventId(siteUrl, toms.effectiveDate, 'toms', toms.version),
      topic: 'toms-updates',
      type: 'toms-version.published',
      publishedDate: toms.effectiveDate,
      effectiveDate: toms.effectiveDate,
      toms,
    })),
  ];
  return events
    .filter((event) => event.publishedDate <= today)
    .sort((a, b) => (a.publishedDate !== b.publishedDate ? (a.publishedDate < b.publishedDate ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The last day this recipient may object or consent: counted as the change's computed terms
 * say (from the day the notice reached them, `receivedAt` taken as a Europe/Berlin calendar
 * day, or from the announcement day), with the same deadline engine as the site. Null when the
 * event is no change, or the governing rule names no fixed period. (The D1 column keeps its
 * first name, `objection_deadline`, for consent periods too.)
 */
export function recipientObjectionDeadline(_manifest: Manifest, event: NoticeEvent, receivedAt: Date): { receivedOn: string; deadline: string | null } {
  const receivedOn = berlinDateOf(receivedAt);
  if (event.topic !== 'subprocessor-changes') return { receivedOn, deadline: null };
  return { receivedOn, deadline: responseDeadlineFor(event.change.terms, receivedOn) };
}
