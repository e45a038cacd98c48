import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { problem } from './problem.ts';

/**
 * `GET /api/health`: the released version, the content version the Worker serves, and whether
 * D1 answers with its migrations applied. Load balancers and the deploy check poll it.
 */
export const health = new Hono<AppEnv>().get('/', async (c) => {
  const started = Date.now();
  try {
    const row = await c.env.DB.prepare("SELECT value FROM deployment_info WHERE key = 'schema'").first<{ value: string }>();
    return c.json({
      status: 'ok',
      release: c.env.RELEASE,
      database: { status: 'ok', schema: row?.value ?? null, latencyMs: Date.now() - started },
    });
  } catch (error) {
    return problem(c, 503, 'Database unavailable', {
      detail: `D1 did not answer: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
});
