import type { Lang } from './paths.ts';

/**
 * An acceptance time as the receipt shows it: UTC as stored (the evidence) and the same
 * instant in Europe/Berlin (what the signer's clock said), both to the second.
 */
export function formatAcceptedAt(iso: string, lang: Lang): { utc: string; berlin: string } {
  const instant = new Date(iso);
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(instant);
  return { utc: format('UTC'), berlin: format('Europe/Berlin') };
}
