import { addDays } from './calendar-date.ts';

/**
 * The version (AVV or TOMs) that governs a given day: the latest one whose effective date has been
 * reached. Before the first version took effect, the first one governs (a change announced
 * while customers were signing it is bound by its rules).
 */
export function versionInForceOn<T extends { effectiveDate: string }>(versions: readonly T[], day: string): T | undefined {
  const sorted = [...versions].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
  return sorted.filter((version) => version.effectiveDate <= day).at(-1) ?? sorted[0];
}

/**
 * Whether a dated entry (TOMs version, subprocessor) is in force on `day`. A subprocessor whose
 * start the AVV does not state (`since: not-stated`) is in force as long as it is listed: the
 * list in the AVV is the evidence of its engagement.
 */
export function inForceOn(entry: { since: string; until?: string | undefined }, day: string): boolean {
  return (entry.since === 'not-stated' || entry.since <= day) && (entry.until === undefined || day <= entry.until);
}

/**
 * The latest day, no later than `day`, on which any of the dated entries came into or went out
 * of force, and never before `from`. The document in force on `day` has been the same since then,
 * so dating it by this day (rather than by `day`) keeps its hash stable from one daily build to
 * the next until the annexes actually change.
 */
export function inForceUnchangedSince(day: string, from: string, entries: readonly DatedAnnex[]): string {
  let latest = from;
  for (const transition of entries.flatMap(transitionDays)) {
    if (transition <= day && transition > latest) latest = transition;
  }
  return latest;
}

/**
 * A dated annex entry: a TOMs version (effectiveDate) or a subprocessor (since / until, and the
 * last days of the values its dated updates replaced, `earlier`).
 */
export type DatedAnnex = { since?: string; until?: string | undefined; effectiveDate?: string; earlier?: readonly { until: string }[] | undefined };

/**
 * The days on which an entry changes the annex: it comes into force, an update takes effect
 * (the day after each `earlier` entry's last day) or it goes out of force (the day after `until`).
 * The one rule both the document states and the accept page's date follow.
 */
export function transitionDays(entry: DatedAnnex): string[] {
  const starts = entry.effectiveDate ?? (entry.since === 'not-stated' ? undefined : entry.since);
  const lastDays = [...(entry.earlier ?? []).map((earlier) => earlier.until), ...(entry.until === undefined ? [] : [entry.until])];
  return [...(starts === undefined ? [] : [starts]), ...lastDays.map((last) => addDays(last, 1))];
}

