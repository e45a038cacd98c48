import { earliestEffectiveDate } from './deadlines.ts';
import type { Manifest, ManifestChange } from './manifest.ts';
import { governingPolicy } from './notice-events.ts';

/**
 * A change whose notice reached someone so late that, with the notice period counted from that
 * real receipt rather than from the announced day, its effective date comes too early. The AVV
 * promises notice "in advance" by a period; the period starts when the notice reaches the
 * customer (§ 130 BGB), not when the vendor meant to send it.
 */
export interface LateNotice {
  changeId: string;
  effectiveDate: string;
  /** The latest day any recipient received the notice (or will: pending deliveries count as today). */
  latestReceivedOn: string;
  /** First day the change may take effect for that recipient under the governing notice period. */
  earliestEffectiveDate: string;
}

/**
 * The governing AVV's notice period (read from the manifest) counted from `latestReceivedOn`
 * with the site's deadline engine; null when the effective date still keeps it, or the AVV
 * names no fixed notice period.
 */
export function lateNotice(manifest: Manifest, change: ManifestChange, latestReceivedOn: string): LateNotice | null {
  const policy = governingPolicy(manifest, change);
  if (!policy?.noticePeriod) return null;
  const earliest = earliestEffectiveDate(latestReceivedOn, policy.noticePeriod, policy.rules);
  if (change.effectiveDate >= earliest) return null;
  return { changeId: change.id, effectiveDate: change.effectiveDate, latestReceivedOn, earliestEffectiveDate: earliest };
}
