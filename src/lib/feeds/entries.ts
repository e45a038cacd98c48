import { formatDate, localized, t, type UiKey } from '../../i18n/ui.ts';
import type { Change } from '../../schemas/change.ts';
import { paths, type Lang } from '../paths.ts';
import type { Publication, PublishedAvvVersion, PublishedChange } from '../publication.ts';
import { absolutizeLinks, escapeXml } from './markup.ts';
import { avvVersionHeadline, avvVersionTitle, tomsVersionHeadline, tomsVersionTitle } from '../../i18n/document-titles.ts';
import { publicationItemId, type PublicationItemType } from '../../domain/publication-ids.ts';
import type { ChangeTerms } from '../../domain/change-terms.ts';
import { declarationDetailsLabel, declarationSubject, howToHeading, invitesDeclaration, quotedWording, termsFacts, termsSentence, type FactPart } from '../../i18n/change-terms-text.ts';

/** What a feed entry announces. */
export type FeedEntryKind = 'subprocessor-change' | 'avv-version' | 'toms-version';

/** A link from an entry to a page of the site (absolute URL). */
export interface FeedLink {
  href: string;
  title: string;
}

/**
 * Machine-readable facts of an entry, published in the JSON Feed as `_trust_center` so tools do
 * not have to parse prose. Dates are calendar days (YYYY-MM-DD, Europe/Berlin).
 */
export interface FeedEntryFacts {
  kind: FeedEntryKind;
  /** For subprocessor changes: add, replace, remove or update. */
  changeKind?: Change['kind'];
  /** Day the entry was announced (changes) or published (AVV versions); the TOMs' effective day. */
  publishedDate: string;
  /** Day the change or version takes effect. */
  effectiveDate: string;
  /**
   * For subprocessor changes: the computed terms (right, governing rule, periods with dates and
   * what each counts from, declaration), exactly as the manifest carries them.
   */
  terms?: ChangeTerms;
  /**
   * For subprocessor changes: last day to object or consent for a notice received on the
   * announcement day, or null when the governing rule names no fixed period.
   */
  responseDeadline?: string | null;
  /** For subprocessor changes with a declaration (objection, consent): the change page's section on how to make it. */
  declarationUrl?: string;
  /** For subprocessor changes: pages of the subprocessors concerned and replaced. */
  subprocessorUrls?: string[];
  /** For subprocessor changes: AVV version whose notice policy governs the change. */
  governingAvvVersion?: string;
}

/** One entry of the change feed, independent of the output format. */
export interface FeedEntry {
  /** Permanent id, see {@link entryId}. */
  id: string;
  kind: FeedEntryKind;
  title: string;
  /** Absolute URL of the page about the entry. */
  url: string;
  /** Calendar day of publication; never the build time, so rebuilds are byte-identical. */
  published: string;
  /** Calendar day of the last change the content records (published, or a later TOMs review). */
  updated: string;
  /** One paragraph of plain text: what changes, when, until when one may object. */
  summary: string;
  /** The full entry as an HTML fragment with absolute links. */
  contentHtml: string;
  categoryLabel: string;
  /** Pages the entry refers to besides its own: subprocessors, how to object, the AVV. */
  related: FeedLink[];
  facts: FeedEntryFacts;
}

/** The change feed in one language, ready to be written as Atom, RSS, JSON Feed. */
export interface ChangeFeed {
  lang: Lang;
  title: string;
  subtitle: string;
  /** Absolute origin without trailing slash. */
  site: string;
  /** The change log page the feed mirrors. */
  homeUrl: string;
  /** Latest `updated` of the entries. */
  updated: string;
  author: { name: string; url: string };
  iconUrl: string;
  /** Newest first. */
  entries: FeedEntry[];
}

const ENTRY_TYPES: Record<FeedEntryKind, PublicationItemType> = { 'subprocessor-change': 'change', 'avv-version': 'avv', 'toms-version': 'toms' };
const KIND_LABELS: Record<Change['kind'], UiKey> = { add: 'kindAdd', replace: 'kindReplace', remove: 'kindRemove', update: 'kindUpdate' };

/** The permanent id of a feed entry, in the feed's language (see publicationItemId). */
export function entryId(host: string, date: string, lang: Lang, kind: FeedEntryKind, fileId: string): string {
  return publicationItemId(host, date, ENTRY_TYPES[kind], fileId, lang);
}

/**
 * The UID of a calendar event about an entry: the tag URI's parts without the comma (which
 * iCalendar would have to escape), e.g.
 * `2026-11-20/de/change/2026-11-ki-funktionen/objection-deadline@trust.example.de`.
 */
export function calendarUid(id: string, event: 'effective' | 'objection-deadline'): string {
  const match = /^tag:([^,]+),([^:]+):(.+)$/.exec(id);
  if (!match) throw new Error(`"${id}" is not an entry id`);
  return `${match[2]}/${match[3]}/${event}@${match[1]}`;
}

/** The site's origin without trailing slash and its host name (no port), for ids. */
export function siteOf(publication: Publication): { site: string; host: string } {
  const url = new URL(publication.vendor.siteUrl);
  return { site: url.origin, host: url.hostname };
}

/**
 * AVV versions are announced on their publication day; like changes announced after the build
 * day, versions published later are held back until then.
 */
export function publishedAvvVersions(publication: Publication): PublishedAvvVersion[] {
  return publication.avvVersions.filter((version) => version.data.publishedDate <= publication.buildDate);
}

/** The change feed in `lang`, built from the same publication the pages show. */
export function buildChangeFeed(publication: Publication, lang: Lang): ChangeFeed {
  const { site } = siteOf(publication);
  const entries = [
    ...publication.changes.map((change) => changeEntry(publication, change, lang)),
    ...publishedAvvVersions(publication).map((version) => avvEntry(publication, version, lang)),
    ...publication.tomVersions.map((toms) => tomsEntry(publication, toms.data, lang)),
  ].sort((a, b) => (a.published !== b.published ? (a.published < b.published ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    lang,
    title: `${publication.vendor.shortName} ${t(lang, 'siteTitle')}: ${t(lang, 'feedTitle')}`,
    subtitle: t(lang, 'feedSubtitle'),
    site,
    homeUrl: site + paths.changes(lang),
    updated: entries.map((entry) => entry.updated).reduce((latest, day) => (day > latest ? day : latest), '0001-01-01'),
    author: { name: publication.vendor.legalName, url: site + paths.home(lang) },
    iconUrl: `${site}/favicon.svg`,
    entries,
  };
}

/** "Name" of a subprocessor slug; validation guarantees the slug exists. */
function subprocessorName(publication: Publication, slug: string): string {
  return publication.subprocessors.find((s) => s.slug === slug)?.data.name ?? slug;
}

const time = (day: string, lang: Lang) => `<time datetime="${day}">${escapeXml(formatDate(day, lang))}</time>`;
const link = ({ href, title }: FeedLink) => `<a href="${escapeXml(href)}">${escapeXml(title)}</a>`;
const item = (label: string, valueHtml: string) => `<li>${escapeXml(label)}: ${valueHtml}</li>`;

/** A terms fact's value as HTML: the AVV's German words marked as German outside German feeds (as FactValue.astro on pages). */
function factHtml(parts: readonly FactPart[], lang: Lang): string {
  return parts.map((part) => (typeof part === 'string' ? escapeXml(part) : lang === 'de' ? escapeXml(quotedWording(part.avvWording)) : `<span lang="de">${escapeXml(quotedWording(part.avvWording))}</span>`)).join('');
}

/** Contact sentence of a change's declaration, with the prefilled subject (objection or consent). */
export function declarationContact(publication: Publication, change: PublishedChange, lang: Lang): { text: string; mailto: string } {
  const contact = publication.vendor.instructionsContact;
  return {
    text: `${t(lang, 'howToDeclareText')} ${contact.name}, ${contact.email}.`,
    mailto: `mailto:${contact.email}?subject=${encodeURIComponent(`${declarationSubject(change.terms, lang)} ${change.id}`)}`,
  };
}

function changeEntry(publication: Publication, change: PublishedChange, lang: Lang): FeedEntry {
  const { site, host } = siteOf(publication);
  const { id, data, terms } = change;
  const title = localized(data.title, lang);
  const subprocessorLinks = (slugs: readonly string[]) => slugs.map((slug) => ({ href: site + paths.subprocessor(lang, slug), title: subprocessorName(publication, slug) }));
  const concerned = subprocessorLinks(data.subprocessors);
  const replaced = subprocessorLinks(data.replaces ?? []);
  const declares = invitesDeclaration(terms);
  const declarationUrl = site + paths.changeObjection(lang, id);
  const governingUrl = site + paths.avvVersion(lang, terms.governingAvvVersion);
  const contact = declarationContact(publication, change, lang);
  const kindLabel = t(lang, KIND_LABELS[data.kind]);
  const body = change.entry.rendered?.html?.trim() ?? '';
  const deadline = terms.response?.stated === 'fixed' ? terms.response.deadlineForAnnouncementDay : null;

  const summary = [
    `${kindLabel}: ${concerned.map((s) => s.title).join(', ')}${replaced.length > 0 ? ` (${t(lang, 'replaces')}: ${replaced.map((s) => s.title).join(', ')})` : ''}.`,
    `${t(lang, 'plannedEffective')} ${formatDate(data.effectiveDate, lang)}.`,
    termsSentence(terms, data.announcedDate, lang),
  ].join(' ');

  const contentHtml = [
    '<ul>',
    item(t(lang, 'changeKind'), escapeXml(kindLabel)),
    item(t(lang, 'subprocessorsConcerned'), concerned.map(link).join(', ')),
    replaced.length > 0 ? item(t(lang, 'replaces'), replaced.map(link).join(', ')) : '',
    data.reason ? item(t(lang, 'reason'), escapeXml(localized(data.reason, lang))) : '',
    item(t(lang, 'announcedDate'), time(data.announcedDate, lang)),
    item(t(lang, 'plannedEffective'), time(data.effectiveDate, lang)),
    ...termsFacts(terms, data.announcedDate, lang).map((fact) => item(fact.label, factHtml(fact.parts, lang))),
    item(t(lang, 'governingAvv'), link({ href: governingUrl, title: `${t(lang, 'version')} ${terms.governingAvvVersion}` })),
    '</ul>',
    declares
      ? `<p><strong>${escapeXml(howToHeading(terms, lang))}:</strong> ${escapeXml(t(lang, 'howToDeclareText'))} ${escapeXml(publication.vendor.instructionsContact.name)}, ` +
        `<a href="${escapeXml(contact.mailto)}">${escapeXml(publication.vendor.instructionsContact.email)}</a>. ` +
        `${link({ href: declarationUrl, title: declarationDetailsLabel(terms, lang) })}</p>`
      : '',
    // Notices are written in German, the contract language (as on the change page).
    body ? `${lang === 'de' ? '' : `<p>${escapeXml(t(lang, 'availableInGermanOnly'))}</p>`}<div lang="de">${absolutizeLinks(body, site)}</div>` : '',
    `<p>${link({ href: site + paths.change(lang, id), title: t(lang, 'viewChange') })}</p>`,
  ].join('');

  return {
    id: entryId(host, data.announcedDate, lang, 'subprocessor-change', id),
    kind: 'subprocessor-change',
    title,
    url: site + paths.change(lang, id),
    published: data.announcedDate,
    updated: data.announcedDate,
    summary,
    contentHtml,
    categoryLabel: t(lang, 'categoryChange'),
    related: [
      ...concerned,
      ...replaced,
      ...(declares ? [{ href: declarationUrl, title: howToHeading(terms, lang) }] : []),
      { href: governingUrl, title: `${t(lang, 'governingAvv')} ${terms.governingAvvVersion}` },
    ],
    facts: {
      kind: 'subprocessor-change',
      changeKind: data.kind,
      publishedDate: data.announcedDate,
      effectiveDate: data.effectiveDate,
      terms,
      responseDeadline: deadline,
      ...(declares && { declarationUrl }),
      subprocessorUrls: [...concerned, ...replaced].map((s) => s.href),
      governingAvvVersion: terms.governingAvvVersion,
    },
  };
}

function avvEntry(publication: Publication, version: PublishedAvvVersion, lang: Lang): FeedEntry {
  const { site, host } = siteOf(publication);
  const { data } = version;
  const titled = { version: data.version, title: data.title, titleEn: version.translation?.data.title };
  const url = site + paths.avvVersion(lang, data.version);
  const index = publication.avvVersions.indexOf(version);
  const previous = index > 0 ? publication.avvVersions[index - 1] : undefined;
  const compare = previous && { href: site + paths.avvCompare(lang, previous.data.version, data.version), title: `${t(lang, 'compareWithPrevious')} (${previous.data.version})` };
  const summaryList = data.changeSummary.length > 0
    ? `<p>${escapeXml(t(lang, 'changeSummary'))}${lang === 'de' ? '' : ` (${escapeXml(t(lang, 'availableInGermanOnly'))})`}:</p><ul lang="de">${data.changeSummary.map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`
    : '';
  return {
    id: entryId(host, data.publishedDate, lang, 'avv-version', data.version),
    kind: 'avv-version',
    title: avvVersionHeadline(titled, lang),
    url,
    published: data.publishedDate,
    updated: data.publishedDate,
    summary: `${avvVersionTitle(titled, lang)}, ${t(lang, 'version')} ${data.version}. ${t(lang, 'effectiveDate')} ${formatDate(data.effectiveDate, lang)}.`,
    contentHtml: [
      '<ul>',
      item(t(lang, 'version'), escapeXml(data.version)),
      item(t(lang, 'publishedDate'), time(data.publishedDate, lang)),
      item(t(lang, 'effectiveDate'), time(data.effectiveDate, lang)),
      '</ul>',
      summaryList,
      `<p>${link({ href: url, title: t(lang, 'viewVersion') })}${compare ? ` · ${link(compare)}` : ''}</p>`,
    ].join(''),
    categoryLabel: t(lang, 'categoryAvv'),
    related: compare ? [compare] : [],
    facts: { kind: 'avv-version', publishedDate: data.publishedDate, effectiveDate: data.effectiveDate },
  };
}

function tomsEntry(publication: Publication, data: Publication['tomVersions'][number]['data'], lang: Lang): FeedEntry {
  const { site, host } = siteOf(publication);
  const url = site + paths.tomsVersion(lang, data.version);
  return {
    // TOMs carry no publication day; the effective day is the date that stays fixed.
    id: entryId(host, data.effectiveDate, lang, 'toms-version', data.version),
    kind: 'toms-version',
    title: tomsVersionHeadline(data, lang),
    url,
    published: data.effectiveDate,
    // A later review is the only edit date the content records.
    updated: data.reviewedDate !== 'not-stated' && data.reviewedDate > data.effectiveDate ? data.reviewedDate : data.effectiveDate,
    summary: `${tomsVersionTitle(lang)}, ${t(lang, 'version')} ${data.version}. ${t(lang, 'effectiveDate')} ${formatDate(data.effectiveDate, lang)}.`,
    contentHtml: [
      '<ul>',
      item(t(lang, 'version'), escapeXml(data.version)),
      item(t(lang, 'effectiveDate'), time(data.effectiveDate, lang)),
      item(t(lang, 'reviewedDate'), data.reviewedDate === 'not-stated' ? escapeXml(t(lang, 'notStated')) : time(data.reviewedDate, lang)),
      item(t(lang, 'tomsSections'), escapeXml(data.sections.map((section) => localized(section.title, lang)).join(', '))),
      '</ul>',
      `<p>${link({ href: url, title: t(lang, 'viewVersion') })}</p>`,
    ].join(''),
    categoryLabel: t(lang, 'categoryToms'),
    related: [],
    facts: { kind: 'toms-version', publishedDate: data.effectiveDate, effectiveDate: data.effectiveDate },
  };
}
