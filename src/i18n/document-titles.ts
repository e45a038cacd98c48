import type { Lang } from '../lib/paths.ts';
import { t } from './ui.ts';

/**
 * The titles of a published AVV or TOMs version in the feeds, the calendar and the notice
 * mails, worded as its page heads it (src/views/AvvView.astro, TomsView.astro), so a reader who
 * follows the link lands on the title they were shown.
 */

/** The AVV's title; in English its convenience translation's, where there is one. */
export function avvVersionTitle(avv: { title: string; titleEn?: string | undefined }, lang: Lang): string {
  return lang === 'en' ? (avv.titleEn ?? avv.title) : avv.title;
}

/**
 * The German document's own title in German ("Technische und organisatorische Maßnahmen (Anlage
 * 1 zum AVV)"); in English the page's heading, since TOMs translations carry no title.
 */
export function tomsVersionTitle(toms: { title: string }, lang: Lang): string {
  return lang === 'en' ? t(lang, 'tomsTitle') : toms.title;
}

/** "AVV-Fassung 2.0: …", the headline of a feed entry or a notice. */
export function avvVersionHeadline(avv: { version: string; title: string; titleEn?: string | undefined }, lang: Lang): string {
  return `${t(lang, 'categoryAvv')} ${avv.version}: ${avvVersionTitle(avv, lang)}`;
}

/** "Neue TOM-Fassung 2026-01: …", the headline of a feed entry or a notice. */
export function tomsVersionHeadline(toms: { version: string; title: string }, lang: Lang): string {
  return `${t(lang, 'categoryToms')} ${toms.version}: ${tomsVersionTitle(toms, lang)}`;
}
