import type { MiddlewareHandler } from 'hono';
import { requireConsole, type AdminEnv } from './console-auth.ts';

/** Headers of every console answer: personal data, never cached, indexed or sent on as referrer. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'same-origin',
};

const SIGN_IN_PAGE = /^(\/en)?\/admin\/sign-in\/?$/;
const pageGuard = requireConsole({ allowToken: false });

/**
 * Runs before the Astro site for `/admin/*` and `/en/admin/*` (src/worker.ts): the console's
 * pages are open only to a signed-in console user — except the sign-in page itself — and every
 * answer carries CONSOLE_HEADERS. They are read-only (actions post to /api/admin): other
 * methods got 405 before, from functions/page-guards.ts.
 */
export const consolePages: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (SIGN_IN_PAGE.test(new URL(c.req.url).pathname)) await next();
  else await pageGuard(c, next);
  for (const [name, value] of Object.entries(CONSOLE_HEADERS)) {
    try {
      c.res.headers.set(name, value);
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(name, value);
    }
  }
  return undefined;
};
