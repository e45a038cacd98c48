import { earliestEffectiveDateFor } from './change-terms.ts';
import type { Manifest, ManifestChange } from './manifest.ts';

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
 * The notice period of the change's computed terms (read from the manifest) counted from
 * `latestReceivedOn` with the site's deadline engine; null when the effective date still keeps
 * it, or the terms give no fixed notice period.
 */
export function lateNotice(_manifest: Manifest, change: ManifestChange, latestReceivedOn: string): LateNotice | null {
  const earliest = earliestEffectiveDateFor(change.terms, latestReceivedOn);
  if (earliest === null || change.effectiveDate >= earliest) return null;
  return { changeId: change.id, effectiveDate: change.effectiveDate, latestReceivedOn, earliestEffectiveDate: earliest };
}
