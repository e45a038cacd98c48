import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from './pipeline/attempt-limit.ts';
import { readBody } from './pipeline/body.ts';
import { problem } from './problem.ts';
import { ConfirmationTokenSchema, SubscriberIdSchema, UnsubscribeTokenSchema } from './subscriptions/tokens.ts';

/** The forms of these pages send a token or two; nothing longer is needed. */
const MAX_PAGE_FORM_BYTES = 4 * 1024;

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's parameters: the query of a GET, the (already read, bounded) form of a POST. */
async function parameters(c: Context): Promise<(name: string) => string> {
  if (c.req.method !== 'POST') return (name) => c.req.query(name) ?? '';
  // A copy: the page itself reads the body again.
  const form = await c.req.raw.clone().formData();
  return (name) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
}

interface PageRule {
  methods: string[];
  /** Attempt-limit scope of the secret in the page's link. */
  scope: string;
  /** Whether the request names a well-formed secret (only those can count as a failed attempt). */
  wellFormed: (get: (name: string) => string) => boolean;
}

/** A receipt page (acceptance or declaration): opened by record id and capability key. */
const RECEIPT_PAGE: PageRule = {
  methods: ['GET', 'HEAD'],
  scope: 'receipt',
  wellFormed: (get) => RECORD_ID.test(get('id')) && /^[A-Za-z0-9._~-]{1,100}$/.test(get('key')),
};

/**
 * The pages the Worker renders per request (src/pages with `prerender = false`), by path
 * without language prefix. Each is opened by a secret in its link, so wrong secrets count
 * against the client IP like everywhere else; a POST body is bounded; other methods get 405.
 */
const PER_REQUEST_PAGES: Record<string, PageRule> = {
  '/avv/accept/receipt/': RECEIPT_PAGE,
  '/declarations/receipt/': RECEIPT_PAGE,
  '/subscribe/confirm/': {
    methods: ['GET', 'HEAD', 'POST'],
    scope: 'subscription-token',
    wellFormed: (get) => ConfirmationTokenSchema.safeParse(get('token')).success,
  },
  '/subscribe/unsubscribe/': {
    methods: ['GET', 'HEAD', 'POST'],
    scope: 'unsubscribe-token',
    wellFormed: (get) => SubscriberIdSchema.safeParse(get('s')).success && UnsubscribeTokenSchema.safeParse(get('t')).success,
  },
};

function ruleFor(pathname: string): PageRule | undefined {
  const withoutLang = pathname.replace(/^\/en(?=\/)/, '');
  return PER_REQUEST_PAGES[withoutLang.endsWith('/') ? withoutLang : `${withoutLang}/`];
}

const readPageForm = readBody({ maxBytes: MAX_PAGE_FORM_BYTES, kinds: ['form'] });
const limiters = new Map(Object.values(PER_REQUEST_PAGES).map((rule) => [rule, limitFailedAttempts({ scope: rule.scope, ...SECRET_ATTEMPTS, wellFormedAsync: async (c) => rule.wellFormed(await parameters(c)) })]));

/** Runs before the Astro site in src/worker.ts; every other path passes through untouched. */
export const perRequestPageGuards: MiddlewareHandler<AppEnv> = async (c, next) => {
  const rule = ruleFor(new URL(c.req.url).pathname);
  if (!rule) return next();
  if (!rule.methods.includes(c.req.method)) return methodNotAllowed(...rule.methods)(c);
  const limiter = limiters.get(rule)!;
  if (c.req.method === 'POST') {
    // Browsers send Origin with every form POST; without it, Astro's own origin check would
    // answer a bare text/plain 403. Refuse it here, clearly, before anything is read.
    if (c.req.header('origin') !== new URL(c.req.url).origin) {
      return problem(c, 403, 'Cross-site request refused', { type: problemType('csrf'), detail: 'This form can only be submitted from the trust center’s own pages. Open the page again on this site and submit it there.' });
    }
    return readPageForm(c, async () => {
      // The limiter answers itself (a Response) or passes on to the page (which sets c.res).
      const answer = await limiter(c, next);
      if (answer instanceof Response) c.res = answer;
    });
  }
  return limiter(c, next);
};

/**
 * The prerendered pages that wrangler.toml's `run_worker_first` sends to the Worker (the accept
 * and change pages, for the browser cookie of their no-JavaScript forms). Keep the two lists
 * equal: tests/edge.worker.test.ts compares them.
 */
export const WORKER_FIRST_PAGES = ['/avv/accept/', '/en/avv/accept/', '/changes/*', '/en/changes/*'] as const;

/**
 * On those pages only GET and HEAD, as the asset server answers on every other static page:
 * without this the page itself came back (200) to a DELETE or POST.
 */
export const onlyGetAndHead: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  return methodNotAllowed('GET', 'HEAD')(c);
};
