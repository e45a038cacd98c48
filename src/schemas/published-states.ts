import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 as 64 lowercase hex digits');

/**
 * One entry of `content/published-states.json`: "on these days this document state was offered
 * for acceptance, and these were its bytes' SHA-256". Written by `npm run states:lock`, never by
 * hand and never changed afterwards: the check (src/domain/published-states-lock.ts) compares
 * every build's derived states with these entries, so editing an offered file in place is
 * refused instead of silently changing what customers accepted.
 */
export const PublishedStateEntrySchema = z.strictObject({
  /** AVV version offered. Example: "2.0". */
  avvVersion: z.string().min(1),
  /** First day the state was offered (its `asOf`). Example: 2026-01-01. */
  offeredFrom: CalendarDateSchema,
  /**
   * Last day it was offered, when the period had already ended on `lockedOn`; absent while it
   * was still offered then (the entry covers the days up to `lockedOn`). Example: 2026-12-27.
   */
  offeredUntil: CalendarDateSchema.optional(),
  /** The day the lock command wrote the entry (its build date). Example: 2026-12-02. */
  lockedOn: CalendarDateSchema,
  /** SHA-256 of the state's canonical JSON, as published at /avv/documents/<sha256>.json. */
  sha256: Sha256Schema,
  /**
   * SHA-256 of each content file's part of the state (its canonical JSON in the document), by
   * path inside the content folder, so a changed state names the file that changed it.
   * Example: { "avv/2.0.md": "…", "toms/2026-01.md": "…", "subprocessors/helpdeskly.yaml": "…" }.
   */
  parts: z.record(z.string().min(1), Sha256Schema),
});
export type PublishedStateEntry = z.output<typeof PublishedStateEntrySchema>;

/** `content/published-states.json`: the append-only lock of every document state offered so far. */
export const PublishedStatesLockSchema = z.strictObject({
  /** Format marker. */
  format: z.literal('trust-center/published-states@1'),
  /** Oldest first; the lock command only appends. */
  states: z.array(PublishedStateEntrySchema),
});
export type PublishedStatesLock = z.output<typeof PublishedStatesLockSchema>;
