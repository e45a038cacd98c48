import type { Lang } from './paths.ts';

/**
 * An acceptance time as the receipt shows it: UTC as stored (the evidence) and the same
 * instant in Europe/Berlin (what the signer's clock said), both to the second.
 */
export function formatAcceptedAt(iso: string, lang: Lang): { utc: string; berlin: string } {
  const instant = new Date(iso);
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  // The month as a word in English, as every English date on the site (formatDate): "04/12/2026"
  // reads as 12 April to half of its readers.
  const month = lang === 'de' ? '2-digit' : 'short';
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month, day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(instant);
  return { utc: format('UTC'), berlin: format('Europe/Berlin') };
}
