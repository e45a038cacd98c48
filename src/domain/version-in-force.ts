/**
 * The version (AVV or TOMs) that governs a given day: the latest one whose effective date has been
 * reached. Before the first version took effect, the first one governs (a change announced
 * while customers were signing it is bound by its rules).
 */
export function versionInForceOn<T extends { effectiveDate: string }>(versions: readonly T[], day: string): T | undefined {
  const sorted = [...versions].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
  return sorted.filter((version) => version.effectiveDate <= day).at(-1) ?? sorted[0];
}

/** Whether a dated entry (TOMs version, subprocessor) is in force on `day`. */
export function inForceOn(entry: { since: string; until?: string | undefined }, day: string): boolean {
  return entry.since <= day && (entry.until === undefined || day <= entry.until);
}
