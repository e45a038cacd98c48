import { describe, expect, it } from 'vitest';
import { noticeMail } from '../functions/notices/notice-content.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { publishedNoticeEvents } from '../src/domain/notice-events.ts';
import { withdrawalParts, fact } from '../src/i18n/change-terms-text.ts';
import { useWorker } from './setup/worker-harness.ts';

/*
 * Feed readers and calendar apps go by the Content-Type, which for prerendered files comes from
 * Cloudflare's static assets (file extension plus public/_headers), not from the Astro endpoint.
 */
describe('feeds served by the built Worker', () => {
  const worker = useWorker();

  it.each([
    ['/feeds/changes.atom', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">'],
    ['/en/feeds/changes.atom', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'],
    ['/feeds/changes.rss', 'application/rss+xml; charset=utf-8', '<language>de</language>'],
    ['/en/feeds/changes.rss', 'application/rss+xml; charset=utf-8', '<language>en</language>'],
    ['/feeds/changes.json', 'application/feed+json; charset=utf-8', '"language": "de"'],
    ['/en/feeds/changes.json', 'application/feed+json; charset=utf-8', '"language": "en"'],
    ['/feeds/calendar.ics', 'text/calendar; charset=utf-8', 'BEGIN:VCALENDAR\r\n'],
    ['/en/feeds/calendar.ics', 'text/calendar; charset=utf-8', 'BEGIN:VCALENDAR\r\n'],
  ])('%s is served as %s', async (path, contentType, marker) => {
    const response = await worker.fetch(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(await response.text()).toContain(marker);
  });

  it.each([
    ['de', '/feeds/changes.json', 'Einzelheiten zur Zustimmung', 'Einzelheiten zum Widerspruch'],
    ['en', '/en/feeds/changes.json', 'Details on how to consent', 'Details on how to object'],
  ])('%s: the link to the declaration says consent for a consent change and objection for an objection change', async (lang, path, consent, objection) => {
    const feed = (await (await worker.fetch(path)).json()) as { items: { id: string; content_html: string }[] };
    const item = (change: string) => feed.items.find((entry) => entry.id.endsWith(`:${lang}/change/${change}`))!.content_html;
    // AVV 2.0 § 8 Abs. 7: a subprocessor outside the EU/EEA needs consent; § 7 Abs. 3 bis 6: objection otherwise.
    const consentChange = item('2026-09-hafenlicht-nachtsupport-indien');
    expect(consentChange).toContain(consent);
    expect(consentChange).not.toContain(objection);
    const objectionChange = item('2026-11-ki-funktionen-sprachraum');
    expect(objectionChange).toContain(objection);
    expect(objectionChange).not.toContain(consent);
  });

  it.each(['de', 'en'] as const)('%s: a consent change tells in its feed item and its mail how the consent is withdrawn, in the same words', async (lang) => {
    const prefix = lang === 'en' ? '/en' : '';
    const manifest = (await (await worker.fetch('/manifest.json')).json()) as Manifest;
    const consent = manifest.changes.find((change) => change.id === '2026-09-hafenlicht-nachtsupport-indien')!;
    const objection = manifest.changes.find((change) => change.id === '2026-11-ki-funktionen-sprachraum')!;
    // AVV 2.0 § 8 Abs. 7, as content/avv/2.0.md records it.
    expect(consent.terms.declaration!.withdrawal).toEqual({ clause: '§ 8 Abs. 7', wording: 'Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.', period: 'any-time', takesEffect: 'future', form: 'not-stated', addressee: 'not-stated' });
    const sentence = fact('', ...withdrawalParts(consent.terms.declaration!, lang)).value;
    expect(sentence).toContain(lang === 'en' ? 'at any time, with effect for the future' : 'jederzeit, mit Wirkung für die Zukunft');

    const feed = (await (await worker.fetch(`${prefix}/feeds/changes.json`)).json()) as { items: { id: string; content_html: string }[] };
    const item = (id: string) => feed.items.find((entry) => entry.id.endsWith(`:${lang}/change/${id}`))!.content_html.replace(/<[^>]+>/g, '');
    expect(item(consent.id)).toContain(sentence.replace(/„.*“/, ''));
    expect(item(consent.id)).toContain('Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.');
    // The objection rule of AVV 2.0 says nothing about withdrawing: no sentence, "not stated".
    expect(item(objection.id)).not.toContain(lang === 'en' ? 'Form of the withdrawal' : 'Form des Widerrufs');

    const event = publishedNoticeEvents(manifest, '2026-11-23').find((candidate) => candidate.topic === 'subprocessor-changes' && candidate.change.id === consent.id)!;
    const mail = noticeMail(manifest, event, { lang, receivedOn: consent.announcedDate, objectionDeadline: null });
    expect(mail.textHead).toContain(`: ${sentence}`);
  });
});
