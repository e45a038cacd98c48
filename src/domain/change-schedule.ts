import type { AvvVersion } from '../schemas/avv.ts';
import type { Change } from '../schemas/change.ts';
import { earliestEffectiveDate, objectionDeadline } from './deadlines.ts';
import { versionInForceOn } from './version-in-force.ts';

/**
 * Where a change stands on a given day:
 * - `objection-open`: customers may still object (the day is on or before the deadline);
 * - `announced`: the objection window has closed, the change is not yet effective;
 * - `effective`: the change has taken effect.
 */
export type ChangeStatus = 'objection-open' | 'announced' | 'effective';

/** The dates a change's notice implies, computed with the deadline engine. */
export interface ChangeSchedule {
  /** AVV version whose notice policy governs the change (in force on the announcement day). */
  governingAvvVersion: string;
  /** First day the change could take effect under the notice period; absent without a fixed period. */
  earliestEffectiveDate?: string;
  /**
   * Last day to object for a customer who received the notice on the announcement day;
   * absent when the AVV names no fixed objection period. Per-recipient deadlines are computed
   * from each recipient's own receipt with the same engine.
   */
  objectionDeadline?: string;
  status: ChangeStatus;
}

export function scheduleChange(change: Change, avvVersions: readonly AvvVersion[], day: string): ChangeSchedule {
  const governing = versionInForceOn(avvVersions, change.announcedDate);
  if (!governing) throw new Error('a change needs at least one AVV version to be scheduled');
  const { noticePeriod, objectionPeriod, rules } = governing.noticePolicy;
  const earliest = noticePeriod && earliestEffectiveDate(change.announcedDate, noticePeriod, rules);
  const deadline = objectionPeriod && objectionDeadline(change.announcedDate, objectionPeriod, rules);
  const status: ChangeStatus =
    deadline !== undefined && day <= deadline ? 'objection-open' : day < change.effectiveDate ? 'announced' : 'effective';
  return {
    governingAvvVersion: governing.version,
    ...(earliest !== undefined && { earliestEffectiveDate: earliest }),
    ...(deadline !== undefined && { objectionDeadline: deadline }),
    status,
  };
}
