import { LANGS, paths } from './paths.ts';
import type { Publication } from './publication.ts';

/** Key of the social card all subprocessor pages share. */
export const SUBPROCESSOR_CARD = 'subprocessor';

/** A page of the site with its social card: what the sitemap lists and satori renders. */
export interface SitePage {
  /** Key of the social card, shared by the German and English page (and by all subprocessor pages). */
  card: string;
  /** Card headline (German, the contract language). */
  title: string;
  /** Card subline. */
  subtitle: string;
  /** Paths of the page in each UI language. */
  paths: string[];
}

/** Every prerendered HTML page, derived from the publication so nothing is forgotten. */
export function listSitePages(publication: Publication): SitePage[] {
  const both = (build: (lang: 'de' | 'en') => string) => LANGS.map(build);
  const { vendor, avvVersions, currentAvv, subprocessors, changes, currentToms } = publication;
  const pages: SitePage[] = [
    { card: 'home', title: `${vendor.shortName} Trust Center`, subtitle: 'AVV, TOMs und Unterauftragsverarbeiter', paths: both(paths.home) },
    { card: 'avv-versions', title: 'Alle Fassungen des AVV', subtitle: `${avvVersions.length} Fassungen`, paths: both(paths.avvVersions) },
    { card: 'toms', title: 'Technische und organisatorische Maßnahmen', subtitle: `Version ${currentToms.data.version}`, paths: both(paths.toms) },
    { card: 'subprocessors', title: 'Unterauftragsverarbeiter', subtitle: `${subprocessors.filter((s) => s.active).length} aktiv`, paths: both(paths.subprocessors) },
    { card: 'matrix', title: 'Datenkategorien je Unterauftragsverarbeiter', subtitle: 'Matrix', paths: both(paths.matrix) },
    { card: 'changes', title: 'Änderungen bei Unterauftragsverarbeitern', subtitle: `${changes.length} Ankündigungen`, paths: both(paths.changes) },
  ];
  if (currentAvv) {
    pages.push({ card: 'avv', title: currentAvv.data.title, subtitle: `Version ${currentAvv.data.version} · aktuell`, paths: both(paths.avv) });
    pages.push({ card: 'avv-accept', title: 'AVV online abschließen', subtitle: `Version ${currentAvv.data.version} · mit signierter Quittung`, paths: both(paths.avvAccept) });
  }
  pages.push({ card: 'verify', title: 'Quittung prüfen', subtitle: 'Signatur und Protokolleintrag einer AVV-Annahme', paths: both(paths.verifyReceipt) });
  pages.push({ card: 'search', title: 'Suche', subtitle: 'AVV, TOMs, Unterauftragsverarbeiter und Änderungen', paths: both(paths.search) });
  pages.push({ card: 'imprint', title: 'Impressum', subtitle: vendor.legalName, paths: both(paths.imprint) });
  pages.push({ card: 'privacy', title: 'Datenschutzerklärung', subtitle: 'Dieses Trust Center: Zwecke, Rechtsgrundlagen, Speicherdauer', paths: both(paths.privacy) });
  pages.push({ card: 'subscribe', title: 'Änderungen per E-Mail erhalten', subtitle: 'Mit Bestätigung, jederzeit abbestellbar', paths: both(paths.subscribe) });
  avvVersions.forEach((version, index) => {
    pages.push({ card: `avv-${version.data.version}`, title: version.data.title, subtitle: `Version ${version.data.version}`, paths: both((lang) => paths.avvVersion(lang, version.data.version)) });
    for (const newer of avvVersions.slice(index + 1)) {
      pages.push({
        card: `compare-${version.data.version}-${newer.data.version}`,
        title: 'Vergleich der AVV-Fassungen',
        subtitle: `${version.data.version} → ${newer.data.version}`,
        paths: both((lang) => paths.avvCompare(lang, version.data.version, newer.data.version)),
      });
    }
  });
  for (const state of publication.documentStates) {
    pages.push({
      card: `avv-document-${state.sha256.slice(0, 16)}`,
      title: `${state.version.data.title} ${state.avvVersion}`,
      subtitle: `Angebotenes Dokument vom ${state.asOf}`,
      paths: both((lang) => paths.archivedDocumentPage(lang, state.sha256)),
    });
  }
  for (const toms of publication.tomVersions) {
    pages.push({ card: `toms-${toms.data.version}`, title: 'Technische und organisatorische Maßnahmen', subtitle: `Version ${toms.data.version}`, paths: both((lang) => paths.tomsVersion(lang, toms.data.version)) });
  }
  // One card for every subprocessor page: they are the pages that grow with the content (a card
  // costs ~40 ms to render, a page ~3 ms), and og:title already names the subprocessor.
  for (const subprocessor of subprocessors) {
    pages.push({ card: SUBPROCESSOR_CARD, title: 'Unterauftragsverarbeiter', subtitle: 'Zweck, Standorte, Übermittlungen, Datenkategorien', paths: both((lang) => paths.subprocessor(lang, subprocessor.slug)) });
  }
  for (const change of changes) {
    pages.push({ card: `change-${change.id}`, title: change.data.title.de, subtitle: `wirksam ab ${change.data.effectiveDate}`, paths: both((lang) => paths.change(lang, change.id)) });
  }
  return pages;
}

/** A social card to render: its key (the PNG's name) and its text. */
export type SocialCardSpec = Pick<SitePage, 'card' | 'title' | 'subtitle'>;

/** Each card once, however many pages show it. Pages sharing a key must agree on its text. */
export function listSocialCards(pages: SitePage[]): SocialCardSpec[] {
  const cards = new Map<string, SocialCardSpec>();
  for (const { card, title, subtitle } of pages) {
    const seen = cards.get(card);
    if (seen && (seen.title !== title || seen.subtitle !== subtitle)) throw new Error(`social card "${card}" is given two different texts`);
    cards.set(card, { card, title, subtitle });
  }
  return [...cards.values()];
}
