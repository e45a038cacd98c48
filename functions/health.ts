import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { storageUnavailable } from './pipeline/storage.ts';

const MigrationRow = z.object({ name: z.string() });

/**
 * `GET /api/health`: the released version and whether D1 answers, with the newest migration
 * applied (from `d1_migrations`, which `wrangler d1 migrations apply` keeps — a hand-kept
 * version number drifted before). Load balancers and the deploy check poll it.
 */
export const health = new Hono<AppEnv>()
  .get('/', async (c) => {
    const started = Date.now();
    let row;
    try {
      row = await c.env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1').first();
    } catch (error) {
      console.error('health: D1 did not answer', error);
      return storageUnavailable(c);
    }
    return c.json({
      status: 'ok',
      release: c.env.RELEASE,
      database: { status: 'ok', migration: row === null ? null : MigrationRow.parse(row).name, latencyMs: Date.now() - started },
    });
  })
  .all('/', methodNotAllowed('GET'));
