import { berlinDateOf } from '../domain/calendar-date.ts';

/**
 * The day the build computes statuses and deadlines for: today in Europe/Berlin, or
 * TRUST_CENTER_BUILD_DATE (YYYY-MM-DD) so tests and reproducible builds get the same output.
 */
export function resolveBuildDate(env: Record<string, string | undefined> = process.env): string {
  const fixed = env.TRUST_CENTER_BUILD_DATE;
  if (fixed === undefined || fixed === '') return berlinDateOf(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fixed)) {
    throw new Error(`TRUST_CENTER_BUILD_DATE must be YYYY-MM-DD, got "${fixed}"`);
  }
  return fixed;
}
