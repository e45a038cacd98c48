import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { acceptances } from './acceptances.ts';
import { admin } from './admin.ts';
import { avvCompare } from './avv-compare.ts';
import { health } from './health.ts';
import { ledger } from './ledger.ts';
import { notices } from './notices.ts';
import { objections } from './objections.ts';
import { DataKeysMissingError } from './lib/data-keys.ts';
import { isStorageError, unavailable } from './pipeline/storage.ts';
import { problem } from './problem.ts';
import { webhooks } from './webhooks.ts';
import { subscriptions } from './subscriptions.ts';

/**
 * The API, mounted under `/api` by the Worker. One sub-app per feature; uncaught errors
 * answer with problem+json, never with an HTML page (unknown paths: see src/worker.ts).
 */
export const api = new Hono<AppEnv>()
  .route('/health', health)
  .route('/avv/compare', avvCompare)
  .route('/acceptances', acceptances)
  .route('/objections', objections)
  .route('/ledger', ledger)
  .route('/webhooks', webhooks)
  .route('/notices', notices)
  .route('/subscriptions', subscriptions)
  .route('/admin', admin)
  .onError((error, c) => {
    console.error('API error', error);
    if (error instanceof DataKeysMissingError || isStorageError(error)) return unavailable(c, error);
    return problem(c, 500, 'Internal error', { detail: 'The request failed; nothing was stored. Please retry.' });
  });
