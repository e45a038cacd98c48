import type { Context } from 'hono';
import { DataKeysMissingError } from '../lib/data-keys.ts';
import { problemType } from '../lib/problem-types.ts';
import { problem } from '../problem.ts';

/**
 * THE answer when D1 (or another store) failed: 503 with Retry-After, and the promise the
 * whole API keeps — nothing was stored, so repeating the request is safe.
 */
export function storageUnavailable(c: Context): Response {
  return problem(
    c,
    503,
    'Not stored, please retry',
    { type: problemType('storage-unavailable'), detail: 'The request could not be processed and nothing was stored. Please try again.' },
    { 'retry-after': '1' },
  );
}

/** Whether an error came from D1 (the binding prefixes its messages with "D1_"). */
export function isStorageError(error: unknown): boolean {
  return error instanceof Error && /\bD1_|SQLITE_|D1 /.test(`${error.message} ${String(error.cause ?? '')}`);
}

/**
 * The answer when a step before the handler (a rate limit, an attempt limit) failed: storage
 * unavailable, or 503 "not configured" when the deployment lacks ENCRYPTION_KEYS.
 */
export function unavailable(c: Context, error: unknown): Response {
  if (error instanceof DataKeysMissingError) {
    return problem(c, 503, 'Not configured', { type: problemType('not-configured'), detail: 'Set the ENCRYPTION_KEYS secret on this deployment.' });
  }
  return storageUnavailable(c);
}
