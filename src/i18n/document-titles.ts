import type { Lang } from '../lib/paths.ts';
import { t } from './ui.ts';

/**
 * The titles of a published AVV or TOMs version: its page's heading (src/views/AvvView.astro,
 * TomsView.astro) and the headline of its feed entries, calendar events and notice mails, so a
 * reader who follows a link lands on the title they were shown.
 */

/** The AVV's title; in English its convenience translation's, where there is one. */
export function avvVersionTitle(avv: { title: string; titleEn?: string | undefined }, lang: Lang): string {
  return lang === 'en' ? (avv.titleEn ?? avv.title) : avv.title;
}

/** The heading of every TOMs version's page, in the page's language (TOMs translations carry no title). */
export function tomsVersionTitle(lang: Lang): string {
  return t(lang, 'tomsTitle');
}

/** "Neue Fassung des AVV 2.0: …", the headline of a feed entry or a notice. */
export function avvVersionHeadline(avv: { version: string; title: string; titleEn?: string | undefined }, lang: Lang): string {
  return `${t(lang, 'categoryAvv')} ${avv.version}: ${avvVersionTitle(avv, lang)}`;
}

/** "Neue Fassung der TOMs 2026-01: …", the headline of a feed entry or a notice. */
export function tomsVersionHeadline(toms: { version: string }, lang: Lang): string {
  return `${t(lang, 'categoryToms')} ${toms.version}: ${tomsVersionTitle(lang)}`;
}
