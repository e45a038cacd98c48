/**
 * When a failed notice delivery is tried again: exponential backoff, capped at a day, so
 * ten attempts span about three and a half days (a receiver down over a weekend still gets it).
 * Delays are counted from the failed attempt.
 */
const DELAYS_SECONDS = [5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600, 24 * 3600, 24 * 3600, 24 * 3600];

/**
 * Milliseconds to wait after the `attempts`-th failed attempt (1-based); beyond the table the
 * last delay repeats.
 * @throws RangeError for attempts < 1
 */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a whole number ≥ 1, got ${attempts}`);
  return DELAYS_SECONDS[Math.min(attempts, DELAYS_SECONDS.length) - 1]! * 1000;
}
