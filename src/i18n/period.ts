import type { HolidayRegion, Period } from '../schemas/notice-policy.ts';
import type { Retention } from '../schemas/legal.ts';
import type { Lang } from '../lib/paths.ts';

const units: Record<Lang, Record<Period['unit'], [string, string]>> = {
  de: {
    'calendar-days': ['Kalendertag', 'Kalendertage'],
    weeks: ['Woche', 'Wochen'],
    months: ['Monat', 'Monate'],
    werktage: ['Werktag', 'Werktage'],
    'business-days': ['Arbeitstag (Mo–Fr)', 'Arbeitstage (Mo–Fr)'],
  },
  en: {
    'calendar-days': ['calendar day', 'calendar days'],
    weeks: ['week', 'weeks'],
    months: ['month', 'months'],
    werktage: ['Werktag (Mon–Sat)', 'Werktage (Mon–Sat)'],
    'business-days': ['business day (Mon–Fri)', 'business days (Mon–Fri)'],
  },
};

/** "14 Werktage", "4 weeks". */
export function formatPeriod(period: Period, lang: Lang): string {
  const [one, many] = units[lang][period.unit];
  return `${period.amount} ${period.amount === 1 ? one : many}`;
}

/** The German states by their ISO 3166-2:DE suffix; their names are the same in both UI languages. */
const STATES: Record<Exclude<HolidayRegion, 'BUND'>, string> = {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg', HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern', NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen', RP: 'Rheinland-Pfalz', SL: 'Saarland',
  SN: 'Sachsen', ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein', TH: 'Thüringen',
};

/** "Hamburg", or the nationwide holidays for `BUND`. */
export function holidayRegionName(region: HolidayRegion, lang: Lang): string {
  if (region === 'BUND') return lang === 'de' ? 'bundesweite Feiertage' : 'nationwide holidays';
  return STATES[region];
}

const retentionUnits: Record<Lang, Record<Retention['unit'], [string, string]>> = {
  de: { hours: ['Stunde', 'Stunden'], days: ['Tag', 'Tage'], months: ['Monat', 'Monate'], years: ['Jahr', 'Jahre'] },
  en: { hours: ['hour', 'hours'], days: ['day', 'days'], months: ['month', 'months'], years: ['year', 'years'] },
};

/** "6 Jahre", "72 hours": the length of a retention period, before its "after …" event. */
export function formatRetentionPeriod(retention: Pick<Retention, 'amount' | 'unit'>, lang: Lang): string {
  const [one, many] = retentionUnits[lang][retention.unit];
  return `${retention.amount} ${retention.amount === 1 ? one : many}`;
}
