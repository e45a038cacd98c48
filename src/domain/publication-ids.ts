/** What a permanent id names: a change announcement, an AVV version or a TOMs version. */
export type PublicationItemType = 'change' | 'avv' | 'toms';

/**
 * The permanent id of a published item, a tag URI (RFC 4151):
 * `tag:<site host>,<date>:[<lang>/]<type>/<file id>`, e.g.
 * `tag:trust.example.de,2026-11-20:de/change/2026-11-ki-funktionen`.
 * Built only from what never changes when the content is edited: the site's host, the day the
 * item was announced or published (changes: announcedDate, AVV: publishedDate, TOMs:
 * effectiveDate) and the content file's permanent name — so a corrected title neither shows an
 * entry twice in a feed reader nor sends a notice again. Feed entries carry the feed's language
 * (their texts differ); notice events, sent in each recipient's language, do not.
 */
export function publicationItemId(siteHost: string, date: string, type: PublicationItemType, fileId: string, lang?: string): string {
  return `tag:${siteHost},${date}:${lang === undefined ? '' : `${lang}/`}${type}/${fileId}`;
}
