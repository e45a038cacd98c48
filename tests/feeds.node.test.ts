import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManifestSchema, type Manifest } from '../src/domain/manifest.ts';
import { astroBuild, scratchDir } from './support/astro-build.ts';
import { formatDate } from '../src/i18n/ui.ts';

/*
 * The Atom, RSS, JSON Feed and iCalendar files of a real build, read with parsers that share no
 * code with the site (feedsmith, fast-xml-parser, ical.js). Expected values come from the
 * manifest and the fixture, never from the feed code.
 */

const fixture = join(import.meta.dirname, 'fixtures/minimal-content');
const LANGS = ['de', 'en'] as const;
type Lang = (typeof LANGS)[number];
const prefix = (lang: Lang) => (lang === 'de' ? '' : '/en');

// Written so that escaping mistakes in any format change what a parser reads back.
const TRICKY_TITLE = 'Support & Service, Teil 2; <neu> "geprüft" \\ Ü';

interface BuiltSite {
  client: string;
  manifest: Manifest;
  site: string;
  host: string;
}

async function build(name: string, contentDir: string): Promise<BuiltSite> {
  const outDir = await scratchDir(name);
  const result = await astroBuild({ outDir, contentDir });
  if (result.exitCode !== 0) throw new Error(`build of ${name} failed:\n${result.output}`);
  const client = join(outDir, 'client');
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(client, 'manifest.json'), 'utf8')));
  const url = new URL(manifest.siteUrl);
  return { client, manifest, site: url.origin, host: url.hostname };
}

// The AVV's sentence on withdrawing a consent in the edited fixture, quoted in every language.
const WITHDRAWAL_WORDING = 'Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.';

/** The fixture with titles, descriptions, a review date and a notice policy edited. */
async function editedFixture(): Promise<string> {
  const dir = await scratchDir('content-edited');
  await cp(fixture, dir, { recursive: true });
  const edit = async (file: string, replacements: [string, string][]) => {
    let text = await readFile(join(dir, file), 'utf8');
    for (const [from, to] of replacements) {
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      text = text.replace(from, to);
    }
    await writeFile(join(dir, file), text);
  };
  await edit('changes/2026-11-support-neu.md', [
    ['title: { de: Neuer Dienstleister für den Kundensupport, en: New customer support provider }', `title: { de: ${JSON.stringify(TRICKY_TITLE)}, en: Corrected English title }`],
    ['Wir setzen ab dem 28.12.2026', 'Korrigierte Beschreibung: Wir setzen ab dem 28.12.2026'],
  ]);
  await edit('changes/2025-03-mailer-update.md', [
    ['Zusätzlicher Standort Dublin', 'Weiterer Standort Dublin (korrigiert)'],
    ['Additional location Dublin', 'Another location Dublin (corrected)'],
  ]);
  // AVV 1.0 governs the 2025 change: with an objection period in words only, its deadline disappears.
  await edit('avv/1.0.md', [['responsePeriod: { wording: "binnen 14 Tagen", amount: 14, unit: calendar-days, qualifier: exactly, countedFrom: receipt, shiftToNextWorkingDay: true }', 'responsePeriod: { wording: "unverzüglich nach Zugang" }']]);
  // AVV 2.0 (governing the 2026 change) now asks for consent, which can be withdrawn.
  await edit('avv/2.0.md', [
    ['title: Vertrag über die Auftragsverarbeitung', 'title: Vertrag über die Auftragsverarbeitung (korrigiert)'],
    ['    consequence: not-stated', '    consequence: Der Kunde kann den Vertrag kündigen.'],
    ['    right: objection', '    right: consent'],
    ['    withdrawable: not-stated', `    withdrawable: true\n    withdrawal: { clause: "§ 2 Abs. 3", wording: ${JSON.stringify(WITHDRAWAL_WORDING)}, period: any-time, takesEffect: future, form: textform, addressee: not-stated }`],
  ]);
  await edit('toms/2025-01.md', [['reviewedDate: 2025-01-01', 'reviewedDate: 2025-06-30']]);
  return dir;
}

/** The manifest's deadline for a notice received on the announcement day, if the rule has a fixed period. */
const deadlineOf = (change: Manifest['changes'][number]) => (change.terms.response?.stated === 'fixed' ? change.terms.response.deadlineForAnnouncementDay : undefined);

const read = (site: BuiltSite, path: string) => readFile(join(site.client, path), 'utf8');
const feedPath = (lang: Lang, file: string) => `${prefix(lang)}/feeds/${file}`;
const midnight = (day: string) => `${day}T00:00:00Z`;

/** Every id the fixture's feed must contain in `lang`, following the documented rule. */
function expectedIds(site: BuiltSite, lang: Lang): string[] {
  const { manifest, host } = site;
  return [
    ...manifest.changes.map((change) => `tag:${host},${change.announcedDate}:${lang}/change/${change.id}`),
    ...manifest.avvVersions.filter((version) => version.publishedDate <= manifest.buildDate).map((version) => `tag:${host},${version.publishedDate}:${lang}/avv/${version.version}`),
    // The fixture's one TOMs version, effective 2025-01-01 (TOMs ids use the effective day).
    `tag:${host},2025-01-01:${lang}/toms/2025-01`,
  ].sort();
}

/** Links of an HTML fragment, with entity-escaped ampersands decoded. */
const hrefsIn = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));

/** Asserts that an absolute link points at a built file (and at an existing anchor in it). */
async function expectResolves(site: BuiltSite, href: string, context: string): Promise<void> {
  if (href.startsWith('mailto:')) {
    expect(href, context).toMatch(/^mailto:weisungen@testfirma\.example\?subject=/);
    return;
  }
  expect(href.startsWith(`${site.site}/`), `${context}: ${href} is absolute on the site`).toBe(true);
  const url = new URL(href);
  const file = join(site.client, decodeURIComponent(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname));
  expect(existsSync(file), `${context}: ${href} exists as ${relative(site.client, file)}`).toBe(true);
  if (url.hash) expect(await readFile(file, 'utf8'), `${context}: anchor ${url.hash}`).toContain(`id="${url.hash.slice(1)}"`);
}

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate,
      end: event.endDate,
      stamp: String(component.getFirstPropertyValue('dtstamp')),
      url: String(component.getFirstPropertyValue('url')),
    };
  });
  return { calendar, events };
}

describe('feeds and calendar built from the fixture', { timeout: 240_000 }, () => {
  let original: BuiltSite;
  let edited: BuiltSite;
  beforeAll(async () => {
    // Two real builds, read-only afterwards; each test only reads files.
    [original, edited] = await Promise.all([build('feeds', fixture), editedFixture().then((dir) => build('feeds-edited', dir))]);
  }, 240_000);

  it('heads a TOMs version as its page does: the document\'s title in German, the page heading in English', async () => {
    const titleOf = async (lang: 'de' | 'en') => {
      const feed = parseJsonFeed(JSON.parse(await read(original, feedPath(lang, 'changes.json'))));
      return feed.items?.find((item) => item.id?.includes('/toms/'))?.title;
    };
    expect(await titleOf('de')).toBe('Neue Fassung der TOMs 2025-01: Technische und organisatorische Maßnahmen');
    expect(await titleOf('en')).toBe('New TOMs version 2025-01: Technical and organisational measures');
  });

  describe.each(LANGS)('%s', (lang) => {
    it('Atom: well-formed RFC 4287 with stable ids, content dates and the manifest deadlines', async () => {
      const text = await read(original, feedPath(lang, 'changes.atom'));
      expect(XMLValidator.validate(text)).toBe(true);
      expect(text).toMatch(new RegExp(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">`));
      const feed = parseAtomFeed(text);
      const self = `${original.site}${feedPath(lang, 'changes.atom')}`;
      expect(feed.id).toBe(self);
      expect(feed.links?.find((link) => link.rel === 'self')).toMatchObject({ href: self, type: 'application/atom+xml' });
      const entries = feed.entries ?? [];
      expect(entries.map((entry) => entry.id).sort()).toEqual(expectedIds(original, lang));
      // Newest first, and the feed was last updated when its newest entry was.
      const published = entries.map((entry) => entry.published ?? '');
      expect(published).toEqual([...published].sort().reverse());
      expect(feed.updated).toBe(entries.map((entry) => entry.updated ?? '').sort().at(-1));

      for (const change of original.manifest.changes) {
        const entry = entries.find((e) => e.id === `tag:${original.host},${change.announcedDate}:${lang}/change/${change.id}`)!;
        expect(entry.published).toBe(midnight(change.announcedDate));
        expect(entry.updated).toBe(midnight(change.announcedDate));
        const html = entry.content?.value ?? '';
        expect(html).toContain(`<time datetime="${change.effectiveDate}">`);
        expect(deadlineOf(change)).toBeDefined();
        expect(html).toContain(`${formatDate(deadlineOf(change)!, lang)} (${lang === 'de' ? 'gerechnet ab Zugang der Mitteilung' : 'counted from receipt of the notice'}`);
        const related = (entry.links ?? []).filter((link) => link.rel === 'related').map((link) => link.href);
        expect(related).toContain(`${original.site}${prefix(lang)}/changes/${change.id}/#how-to-object`);
        for (const slug of change.subprocessors) expect(related).toContain(`${original.site}${prefix(lang)}/subprocessors/${slug}/`);
        expect(entry.links?.find((link) => link.rel === 'alternate')?.href).toBe(`${original.site}${prefix(lang)}/changes/${change.id}/`);
      }
      for (const version of original.manifest.avvVersions) {
        const entry = entries.find((e) => e.id === `tag:${original.host},${version.publishedDate}:${lang}/avv/${version.version}`)!;
        expect(entry.published).toBe(midnight(version.publishedDate));
        expect(entry.content?.value).toContain(`<time datetime="${version.effectiveDate}">`);
      }
    });

    it('RSS 2.0: same ids as guids, RFC 822 dates, language and self link', async () => {
      const text = await read(original, feedPath(lang, 'changes.rss'));
      expect(XMLValidator.validate(text)).toBe(true);
      const feed = parseRssFeed(text);
      expect(feed.language).toBe(lang);
      expect(text).toContain(`<atom:link rel="self" type="application/rss+xml" href="${original.site}${feedPath(lang, 'changes.rss')}"/>`);
      const items = feed.items ?? [];
      expect(items.map((item) => item.guid?.value).sort()).toEqual(expectedIds(original, lang));
      for (const item of items) expect(item.guid?.isPermaLink).toBe(false);
      for (const change of original.manifest.changes) {
        const item = items.find((i) => i.guid?.value === `tag:${original.host},${change.announcedDate}:${lang}/change/${change.id}`)!;
        expect(new Date(item.pubDate ?? '').toISOString()).toBe(new Date(midnight(change.announcedDate)).toISOString());
        expect(item.description).toContain(`<time datetime="${change.effectiveDate}">`);
        expect(item.description).toContain(lang === 'de' ? 'gerechnet ab Zugang der Mitteilung' : 'counted from receipt of the notice');
        expect(item.link).toBe(`${original.site}${prefix(lang)}/changes/${change.id}/`);
      }
    });

    it('JSON Feed 1.1: required members, same ids, deadlines as data', async () => {
      const text = await read(original, feedPath(lang, 'changes.json'));
      const raw = JSON.parse(text) as { version: string; items: { id: string; date_published: string; _trust_center: Record<string, unknown> }[] };
      const feed = parseJsonFeed(raw);
      expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.title).toBeTruthy();
      expect(feed.language).toBe(lang);
      expect(feed.feed_url).toBe(`${original.site}${feedPath(lang, 'changes.json')}`);
      const items = feed.items ?? [];
      expect(items.map((item) => item.id).sort()).toEqual(expectedIds(original, lang));
      for (const item of raw.items) expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      for (const change of original.manifest.changes) {
        const item = raw.items.find((i) => i.id === `tag:${original.host},${change.announcedDate}:${lang}/change/${change.id}`)!;
        expect(item.date_published).toBe(midnight(change.announcedDate));
        expect(item._trust_center).toMatchObject({
          kind: 'subprocessor-change',
          changeKind: change.kind,
          effectiveDate: change.effectiveDate,
          terms: change.terms,
          responseDeadline: deadlineOf(change),
          declarationUrl: `${original.site}${prefix(lang)}/changes/${change.id}/#how-to-object`,
          governingAvvVersion: change.terms.governingAvvVersion,
        });
      }
    });

    it('iCalendar: RFC 5545 lines, all-day events on the effective dates and the manifest deadlines', async () => {
      const text = await read(original, feedPath(lang, 'calendar.ics'));
      expect(text.endsWith('\r\n')).toBe(true);
      const lines = text.slice(0, -2).split('\r\n');
      for (const line of lines) {
        expect(line, 'no bare CR or LF').not.toMatch(/[\r\n]/);
        expect(Buffer.byteLength(line, 'utf8'), `folded at 75 octets: ${line}`).toBeLessThanOrEqual(75);
      }
      const { calendar, events } = parseCalendar(text);
      expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
      expect(new Set(events.map((event) => event.uid)).size).toBe(events.length);
      for (const event of events) {
        expect(event.start.isDate).toBe(true);
        expect(event.end.isDate).toBe(true);
        expect(event.end.toJSDate().getTime() - event.start.toJSDate().getTime()).toBe(86_400_000);
        await expectResolves(original, event.url, `${lang} calendar ${event.uid}`);
      }
      const { host, manifest } = original;
      for (const change of manifest.changes) {
        const base = `${change.announcedDate}/${lang}/change/${change.id}`;
        const effective = events.find((event) => event.uid === `${base}/effective@${host}`)!;
        expect(effective.start.toString()).toBe(change.effectiveDate);
        expect(effective.stamp).toBe(midnight(change.announcedDate));
        const deadline = events.find((event) => event.uid === `${base}/objection-deadline@${host}`)!;
        expect(deadline.start.toString()).toBe(deadlineOf(change));
        expect(deadline.url).toBe(`${original.site}${prefix(lang)}/changes/${change.id}/#how-to-object`);
      }
      for (const version of manifest.avvVersions) {
        const effective = events.find((event) => event.uid === `${version.publishedDate}/${lang}/avv/${version.version}/effective@${host}`)!;
        expect(effective.start.toString()).toBe(version.effectiveDate);
      }
    });

    it('every link in every feed and the calendar resolves to a built file', async () => {
      const atom = parseAtomFeed(await read(original, feedPath(lang, 'changes.atom')));
      const rss = parseRssFeed(await read(original, feedPath(lang, 'changes.rss')));
      const json = JSON.parse(await read(original, feedPath(lang, 'changes.json'))) as {
        home_page_url: string; feed_url: string; icon: string; authors: { url: string }[];
        items: { url: string; content_html: string; _trust_center: { declarationUrl?: string; subprocessorUrls?: string[]; related: { href: string }[] } }[];
      };
      const ics = parseCalendar(await read(original, feedPath(lang, 'calendar.ics')));
      const links = [
        ...(atom.links ?? []).map((link) => link.href ?? ''),
        atom.icon ?? '',
        ...(atom.entries ?? []).flatMap((entry) => [...(entry.links ?? []).map((link) => link.href ?? ''), ...hrefsIn(entry.content?.value ?? '')]),
        rss.link ?? '',
        ...(rss.items ?? []).flatMap((item) => [item.link ?? '', ...hrefsIn(item.description ?? '')]),
        json.home_page_url, json.feed_url, json.icon, ...json.authors.map((author) => author.url),
        ...json.items.flatMap((item) => [item.url, ...hrefsIn(item.content_html), item._trust_center.declarationUrl ?? '', ...(item._trust_center.subprocessorUrls ?? []), ...item._trust_center.related.map((r) => r.href)]),
        String(ics.calendar.getFirstPropertyValue('url')), String(ics.calendar.getFirstPropertyValue('source')),
      ].filter((href) => href !== '');
      expect(links.length).toBeGreaterThan(40);
      for (const href of new Set(links)) {
        await expectResolves(original, href, `${lang} feeds`);
        // Readers of one language are sent to pages in that language (the icon has none).
        if (!href.startsWith('mailto:') && !href.endsWith('/favicon.svg')) expect(new URL(href).pathname.startsWith('/en/'), `${href} is in ${lang}`).toBe(lang === 'en');
      }
    });

    it('every HTML page announces the feeds and the calendar in its language', async () => {
      const pages = (await readdir(original.client, { recursive: true })).filter((file) => file.endsWith('.html'));
      expect(pages.length).toBeGreaterThan(20);
      for (const page of pages.filter((file) => (lang === 'en') === file.startsWith('en/'))) {
        const html = await read(original, page);
        if (!html.includes(`<html lang="${lang}"`)) continue; // the 404 page exists once, in German
        for (const [type, file] of [['application/atom+xml', 'changes.atom'], ['application/rss+xml', 'changes.rss'], ['application/feed+json', 'changes.json'], ['text/calendar', 'calendar.ics']] as const) {
          expect(html, `${page} links ${file}`).toMatch(new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="${feedPath(lang, file)}"`));
        }
      }
      const changeLog = await read(original, `${prefix(lang)}/changes/index.html`);
      const subscribe = changeLog.slice(changeLog.indexOf('id="subscribe"'));
      for (const file of ['changes.atom', 'changes.rss', 'changes.json', 'calendar.ics']) expect(subscribe).toContain(`href="${feedPath(lang, file)}"`);
    });
  });

  it('ids stay the same when titles, descriptions and deadlines are edited; the edits show', async () => {
    /** The same file of the original and the edited build, read by `parse`. */
    const both = async <T>(path: string, parse: (text: string) => T): Promise<[T, T]> => [parse(await read(original, path)), parse(await read(edited, path))];
    for (const lang of LANGS) {
      const [before, after] = await both(feedPath(lang, 'changes.atom'), parseAtomFeed);
      const titles = (feed: typeof before) => new Map((feed.entries ?? []).map((entry) => [entry.id, entry.title?.value]));
      expect([...titles(after).keys()].sort()).toEqual([...titles(before).keys()].sort());
      const changed = [...titles(after)].filter(([id, title]) => titles(before).get(id) !== title).map(([id]) => (id ?? '').replace(/^.*:/, ''));
      expect(changed.sort()).toEqual([`${lang}/avv/2.0`, `${lang}/change/2025-03-mailer-update`, `${lang}/change/2026-11-support-neu`].sort());

      const [rssBefore, rssAfter] = await both(feedPath(lang, 'changes.rss'), parseRssFeed);
      expect((rssAfter.items ?? []).map((item) => item.guid?.value)).toEqual((rssBefore.items ?? []).map((item) => item.guid?.value));
      const [jsonBefore, jsonAfter] = await both(feedPath(lang, 'changes.json'), (text) => JSON.parse(text) as { items: { id: string }[] });
      expect(jsonAfter.items.map((item) => item.id)).toEqual(jsonBefore.items.map((item) => item.id));
      const [icsBefore, icsAfter] = await both(feedPath(lang, 'calendar.ics'), parseCalendar);
      // The 2025 change lost its objection deadline; every other event keeps its UID.
      const lost = `2025-03-03/${lang}/change/2025-03-mailer-update/objection-deadline@${original.host}`;
      expect(icsAfter.events.map((event) => event.uid).sort()).toEqual(icsBefore.events.map((event) => event.uid).filter((uid) => uid !== lost).sort());

      // A later TOMs review updates the entry without changing its id.
      const toms = (after.entries ?? []).find((entry) => entry.id === `tag:${original.host},2025-01-01:${lang}/toms/2025-01`)!;
      expect(toms.published).toBe(midnight('2025-01-01'));
      expect(toms.updated).toBe(midnight('2025-06-30'));
    }
  });

  it('escapes titles with markup and separators in every format (read back unchanged)', async () => {
    const id = `tag:${edited.host},2026-11-20:de/change/2026-11-support-neu`;
    const atom = parseAtomFeed(await read(edited, '/feeds/changes.atom'));
    expect(atom.entries?.find((entry) => entry.id === id)?.title?.value).toBe(TRICKY_TITLE);
    const rss = parseRssFeed(await read(edited, '/feeds/changes.rss'));
    expect(rss.items?.find((item) => item.guid?.value === id)?.title).toBe(TRICKY_TITLE);
    const json = parseJsonFeed(JSON.parse(await read(edited, '/feeds/changes.json')));
    expect(json.items?.find((item) => item.id === id)?.title).toBe(TRICKY_TITLE);
    const { events } = parseCalendar(await read(edited, '/feeds/calendar.ics'));
    const event = events.find((e) => e.uid === `2026-11-20/de/change/2026-11-support-neu/effective@${edited.host}`)!;
    expect(event.summary).toBe(`Wirksam: ${TRICKY_TITLE}`);
  });

  it('iCalendar: both events of a change asking for a withdrawable consent say how to withdraw it; other changes do not', async () => {
    const expected: Record<Lang, string> = {
      de: `Erklärung widerruflich: ja, jederzeit, mit Wirkung für die Zukunft. Form des Widerrufs: Textform (§ 126b BGB), z. B. E-Mail. Gegenüber wem: in der AVV nicht angegeben. § 2 Abs. 3: „${WITHDRAWAL_WORDING}“`,
      en: `Declaration can be withdrawn: yes, at any time, with effect for the future. Form of the withdrawal: Text form (§ 126b BGB), e.g. email. To whom: not stated in the AVV. § 2 Abs. 3: „${WITHDRAWAL_WORDING}“`,
    };
    const consent = edited.manifest.changes.find((change) => change.id === '2026-11-support-neu')!;
    expect(consent.terms).toMatchObject({ right: 'consent', declaration: { withdrawable: true } });
    for (const lang of LANGS) {
      const { events } = parseCalendar(await read(edited, feedPath(lang, 'calendar.ics')));
      const base = `2026-11-20/${lang}/change/2026-11-support-neu`;
      for (const event of ['effective', 'objection-deadline']) {
        const description = events.find((e) => e.uid === `${base}/${event}@${edited.host}`)?.description;
        expect(description?.split('\n'), `${lang} ${event}`).toContain(expected[lang]);
      }
      // The 2025 change is an objection under AVV 1.0: nothing about withdrawing a consent.
      for (const event of events.filter((e) => e.uid.includes('/change/2025-03-mailer-update/'))) expect(event.description).not.toContain(expected[lang].split(':')[0]);
    }
  });

  it('says so when no fixed objection period applies, and names the consequence of an objection', async () => {
    const withoutPeriod = edited.manifest.changes.find((change) => change.id === '2025-03-mailer-update')!;
    expect(deadlineOf(withoutPeriod)).toBeUndefined();
    for (const lang of LANGS) {
      const json = JSON.parse(await read(edited, feedPath(lang, 'changes.json'))) as { items: { id: string; summary: string; content_html: string; _trust_center: { responseDeadline: unknown } }[] };
      const item = json.items.find((i) => i.id === `tag:${edited.host},2025-03-03:${lang}/change/2025-03-mailer-update`)!;
      expect(item._trust_center.responseDeadline).toBeNull();
      expect(item.summary).toContain(lang === 'de' ? 'keine feste Frist' : 'no fixed period');
      // The 2026 change is governed by AVV 2.0, which now names the consequence.
      const governed = json.items.find((i) => i.id === `tag:${edited.host},2026-11-20:${lang}/change/2026-11-support-neu`)!;
      expect(governed.content_html).toContain('Der Kunde kann den Vertrag kündigen.');
      const page = await read(edited, `${prefix(lang)}/changes/2026-11-support-neu/index.html`);
      // The terms (with the consequence) come first, then how to object (with the contact).
      const section = page.slice(page.indexOf('id="terms"'));
      expect(section).toContain('weisungen@testfirma.example');
      expect(section).toContain('Der Kunde kann den Vertrag kündigen.');
    }
  });
});
