import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

const CompareQuerySchema = z.object({
  /** Version to compare from. */
  from: z.string().min(1).max(64),
  /** Version to compare to. */
  to: z.string().min(1).max(64),
  /** UI language of the page to redirect to. */
  lang: z.enum(['de', 'en']).default('de'),
});

/**
 * `GET /api/avv/compare?from=&to=&lang=`: target of the version picker on the archive page,
 * which works without JavaScript. Redirects to the prerendered comparison, older version first;
 * only versions in the manifest are accepted, so the redirect cannot point anywhere else.
 */
export const avvCompare = new Hono<AppEnv>()
  .get('/', validQuery(CompareQuerySchema, { type: 'invalid-query', title: 'Invalid comparison' }), async (c) => {
  const { from, to, lang } = c.var.query;
  const manifest = await publishedManifest(c.env, c.req.url);
  const order = manifest.avvVersions.map((version) => version.version);
  const unknown = [from, to].filter((version) => !order.includes(version));
  if (unknown.length > 0) {
    return problem(c, 400, 'Unknown AVV version', {
      detail: `Published versions are ${order.join(', ')}.`,
      invalidParams: unknown.map((version) => ({ name: version === from ? 'from' : 'to', reason: `no published version "${version}"` })),
    });
  }
  const prefix = lang === 'de' ? '' : '/en';
  if (from === to) return c.redirect(`${prefix}/avv/${encodeURIComponent(from)}/`, 303);
  const [older, newer] = order.indexOf(from) < order.indexOf(to) ? [from, to] : [to, from];
  return c.redirect(`${prefix}/avv/compare/${encodeURIComponent(older)}/${encodeURIComponent(newer)}/`, 303);
  })
  .all('/', methodNotAllowed('GET'));
