import type { MiddlewareHandler } from 'hono';
import { problem } from '../problem.ts';
import { problemType } from './problem-types.ts';

/**
 * CSRF protection for state-changing requests: a browser sends `Sec-Fetch-Site` and/or
 * `Origin` with every POST, so a request is refused when either names another site than the
 * request's own origin. Clients that are no browser send neither and are not CSRF vectors. JSON
 * bodies additionally need `Content-Type: application/json`, which a cross-site HTML form cannot
 * send (the body parser enforces it).
 */
export const sameOriginOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const own = new URL(c.req.url).origin;
  const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== own);
  if (crossSite) {
    return problem(c, 403, 'Cross-site request refused', {
      type: problemType('csrf'),
      detail: 'This form can only be submitted from the trust center’s own pages. Open the page again on this site and submit it there.',
    });
  }
  return next();
};
