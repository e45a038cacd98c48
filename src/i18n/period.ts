import type { Period } from '../schemas/notice-policy.ts';
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
