import type { EarlierFacts } from '../schemas/subprocessor.ts';

/**
 * A subprocessor's facts as they were on `day`: the file's current values, with the values of
 * every dated update that took effect after `day` put back (`earlier`, src/schemas/subprocessor.ts).
 * The document states read this, so a state keeps the annex it was offered with after a later
 * update; the pages show the file as it is now. Without `earlier` this is the entry itself.
 */
export function subprocessorAsOf<S extends { earlier?: readonly EarlierFacts[] | undefined }>(subprocessor: S, day: string): S {
  // Newest first: an older update's values are put back last, so they win for days before it.
  const replaced = (subprocessor.earlier ?? []).filter((earlier) => day <= earlier.until).sort((a, b) => (a.until < b.until ? 1 : -1));
  return replaced.reduce<S>((facts, { until: _lastDay, ...values }) => ({ ...facts, ...values }), subprocessor);
}
