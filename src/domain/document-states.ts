import { addDays } from './calendar-date.ts';
import { inForceUnchangedSince, transitionDays, type DatedAnnex } from './version-in-force.ts';

/**
 * Which acceptance documents were ever offered, and when. A document state is one AVV version
 * together with the TOMs and subprocessor list in force on a run of days; it changes whenever an
 * annex comes into or goes out of force. Each state is dated (`asOf`) by the first day of its
 * run, which is exactly how the accept page dates the current document on any build day
 * (`inForceUnchangedSince`), so a later build derives the same bytes, and the same hash, for every
 * state an earlier build offered. Only the dates in `content/` are read: no archive step, no
 * state kept anywhere else.
 */
export interface OfferedPeriod {
  /** AVV version offered. Example: "2.0". */
  avvVersion: string;
  /** The day the document is dated by: the first day of the period. */
  asOf: string;
  /** First day the state was offered (= asOf). */
  offeredFrom: string;
  /** Last day it was offered; absent while it is still offered on the build day. */
  offeredUntil?: string;
}


/**
 * Every period up to `buildDate` in which one document state was offered, oldest first. A version
 * is offered from its effective date until the day before its successor's; versions not yet in
 * force on the build day were never offered and are left out.
 */
export function offeredDocumentPeriods(
  avvVersions: readonly { version: string; effectiveDate: string }[],
  annexes: readonly DatedAnnex[],
  buildDate: string,
): OfferedPeriod[] {
  const sorted = [...avvVersions].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
  const periods: OfferedPeriod[] = [];
  sorted.forEach((avv, index) => {
    if (avv.effectiveDate > buildDate) return;
    const successor = sorted[index + 1];
    const superseded = successor !== undefined && successor.effectiveDate <= buildDate;
    const lastDay = superseded ? addDays(successor.effectiveDate, -1) : buildDate;
    const starts = [...new Set(annexes.flatMap(transitionDays).filter((day) => day > avv.effectiveDate && day <= lastDay))].sort();
    const runStarts = [avv.effectiveDate, ...starts];
    runStarts.forEach((start, run) => {
      const next = runStarts[run + 1];
      const until = next !== undefined ? addDays(next, -1) : superseded ? lastDay : undefined;
      periods.push({ avvVersion: avv.version, asOf: start, offeredFrom: start, ...(until !== undefined && { offeredUntil: until }) });
    });
  });
  return periods;
}

/**
 * The day a version's published document (`/avv/<version>/document.json`) is dated by: for the
 * current version the start of today's period, for a superseded one the start of its last
 * period (what was offered last), for an upcoming one its effective date. Always the `asOf` of
 * one offered period, so that file is one of the archived states once the version was offered.
 */
export function documentAsOfFor(
  avv: { effectiveDate: string },
  successorEffectiveDate: string | undefined,
  annexes: readonly DatedAnnex[],
  buildDate: string,
): string {
  if (avv.effectiveDate > buildDate) return avv.effectiveDate;
  const lastDay = successorEffectiveDate !== undefined && successorEffectiveDate <= buildDate ? addDays(successorEffectiveDate, -1) : buildDate;
  return inForceUnchangedSince(lastDay, avv.effectiveDate, annexes);
}
