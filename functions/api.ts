import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { health } from './health';
import { problem } from './problem';

/**
 * The API, mounted under `/api` by the Worker. One sub-app per feature; uncaught errors
 * answer with problem+json, never with an HTML page (unknown paths: see src/worker.ts).
 */
export const api = new Hono<AppEnv>()
  .route('/health', health)
  .onError((error, c) => {
    console.error('API error', error);
    return problem(c, 500, 'Internal error', { detail: 'The request failed; nothing was stored. Please retry.' });
  });
