import type { Context } from 'hono';
import type { LogKey } from '../../src/domain/acceptance-log.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { signingKeyRefusal } from '../../src/domain/signing-key-validity.ts';
import { logKey, logKeyId, NotConfiguredError } from '../lib/log-key.ts';
import { problemType } from '../lib/problem-types.ts';
import { storageUnavailable } from '../pipeline/storage.ts';
import { problem } from '../problem.ts';
import { IdempotencyConflictError, LogBehindWitnessError, type StoredAcceptance } from './store.ts';

/**
 * Appends one record (acceptance or declaration) to the log with the deployment's signing key,
 * or answers why nothing was stored: the key is missing or not valid today (503), the
 * Idempotency-Key was used for another submission (422), D1 is behind its witness (503), the
 * storage failed (503). One place, so both record types are refused alike.
 */
export async function appendOrRefuse(c: Context, manifest: Manifest, what: 'acceptance' | 'declaration', store: (key: LogKey) => Promise<StoredAcceptance>): Promise<StoredAcceptance | Response> {
  try {
    const key = await logKey(c.env, manifest);
    const refusal = signingKeyRefusal(manifest.receiptKeys, await logKeyId(key), new Date(), c.env.ENVIRONMENT === 'development');
    if (refusal) {
      console.error(`${what} refused: ${refusal}`);
      return problem(c, 503, 'The receipt signing key is not valid now', {
        type: problemType('signing-key-not-valid'),
        detail: `Nothing was stored: ${refusal}. The operator must deploy the key published for today (README, "Signing keys").`,
      });
    }
    return await store(key);
  } catch (error) {
    if (error instanceof IdempotencyConflictError) {
      return problem(c, 422, 'Idempotency key reused', {
        type: problemType('idempotency-conflict'),
        detail: `This Idempotency-Key was already used for a different submission. Use a new key for a new ${what}.`,
      });
    }
    if (error instanceof LogBehindWitnessError) {
      console.error(`${what} refused`, error.message);
      return problem(c, 503, 'The acceptance log is behind its witness', {
        type: problemType('log-behind-witness'),
        detail: `Nothing was stored: ${error.message}. The log is behind its witness, run npm run ledger:verify.`,
      });
    }
    if (error instanceof NotConfiguredError) {
      return problem(c, 503, what === 'acceptance' ? 'Acceptance is not configured' : 'Declarations are not configured', { type: problemType('not-configured'), detail: 'The receipt signing key is missing on this deployment.' });
    }
    console.error(`${what} not stored`, error);
    return storageUnavailable(c);
  }
}
