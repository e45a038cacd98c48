import type { Context, MiddlewareHandler, Next } from 'hono';
import type { AppEnv } from './app-env.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from './pipeline/attempt-limit.ts';
import { readBody } from './pipeline/body.ts';
import { problem } from './problem.ts';
import { LANGS, paths } from '../src/lib/paths.ts';
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

/** The secret in a page's link: wrong ones count against the client IP. */
interface PageSecret {
  /** Attempt-limit scope of the secret. */
  scope: string;
  /** Whether the request names a well-formed secret (only those can count as a failed attempt). */
  wellFormed: (get: (name: string) => string) => boolean;
}

/** What a route rendered per request takes. */
interface PageRule {
  /** The methods it answers; every other gets 405 problem+json with these in `Allow`. */
  methods: readonly string[];
  /** The secret in the page's link, for pages opened by one. */
  secret?: PageSecret;
}

const GET_AND_HEAD = ['GET', 'HEAD'] as const;

/** A page that only shows something: a GET (and its HEAD). */
const READ_ONLY: PageRule = { methods: GET_AND_HEAD };

/** A receipt page (acceptance or declaration): opened by record id and capability key. */
const RECEIPT_PAGE: PageRule = {
  methods: GET_AND_HEAD,
  secret: { scope: 'receipt', wellFormed: (get) => RECORD_ID.test(get('id')) && /^[A-Za-z0-9._~-]{1,100}$/.test(get('key')) },
};

/** Every URL no other route serves: src/pages/404.astro, rendered per request. */
const NOT_FOUND_ROUTE = '/404';

/**
 * Every route Astro renders per request (src/pages with `prerender = false`, and Astro's own),
 * by its route pattern as the build names it. tests/edge.worker.test.ts compares the keys with
 * the routes of the build, so a new per-request page cannot go without a guard: without one,
 * Astro's own origin check answered a POST with a bare text/plain 403.
 */
export const PER_REQUEST_ROUTES = {
  '/[...lang]/avv/accept/receipt': RECEIPT_PAGE,
  '/[...lang]/declarations/receipt': RECEIPT_PAGE,
  // The two forms that post back to their own page (no JavaScript needed to confirm or leave).
  '/[...lang]/subscribe/confirm': {
    methods: [...GET_AND_HEAD, 'POST'],
    secret: { scope: 'subscription-token', wellFormed: (get) => ConfirmationTokenSchema.safeParse(get('token')).success },
  },
  '/[...lang]/subscribe/unsubscribe': {
    methods: [...GET_AND_HEAD, 'POST'],
    secret: { scope: 'unsubscribe-token', wellFormed: (get) => SubscriberIdSchema.safeParse(get('s')).success && UnsubscribeTokenSchema.safeParse(get('t')).success },
  },
  // The console (functions/admin/page-guard.ts signs in): read-only, its actions post to /api/admin.
  '/[...lang]/admin': READ_ONLY,
  '/[...lang]/admin/acceptances': READ_ONLY,
  '/[...lang]/admin/acceptances/record': READ_ONLY,
  '/[...lang]/admin/audit': READ_ONLY,
  '/[...lang]/admin/changes': READ_ONLY,
  '/[...lang]/admin/invitations': READ_ONLY,
  '/[...lang]/admin/ledger': READ_ONLY,
  '/[...lang]/admin/sign-in': READ_ONLY,
  '/[...lang]/admin/subscribers': READ_ONLY,
  // Nothing is there to take another method: 404 problem+json (perRequestPageGuards).
  [NOT_FOUND_ROUTE]: READ_ONLY,
  // Astro's own: the image endpoint of imageService 'passthrough', and server islands, which
  // this site has none of (a POST there is never one of ours).
  '/_image': READ_ONLY,
  '/_server-islands/[name]': READ_ONLY,
} as const satisfies Record<string, PageRule>;

/** The site's language prefixes as a RegExp alternative: "" (German) and "/en". */
const LANG_PREFIX = `(?:${LANGS.map((lang) => paths.home(lang).replace(/\/$/, '')).join('|')})`;

/**
 * A route pattern as a RegExp over the path: `[...lang]` is a language prefix of the site
 * (any other prefix renders the 404 page), `[name]` one segment, the trailing slash optional
 * (trailingSlash 'ignore').
 */
function routeRegExp(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .slice(1)
    .map((segment) => (segment === '[...lang]' ? LANG_PREFIX : `/${/^\[[^\]]+\]$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    .join('');
  return new RegExp(`^${source}/?$`);
}

const ROUTE_MATCHERS = Object.entries(PER_REQUEST_ROUTES)
  .filter(([pattern]) => pattern !== NOT_FOUND_ROUTE)
  .map(([pattern, rule]) => ({ regExp: routeRegExp(pattern), rule: rule as PageRule }));

function ruleFor(pathname: string): PageRule | undefined {
  return ROUTE_MATCHERS.find(({ regExp }) => regExp.test(pathname))?.rule;
}

const readPageForm = readBody({ maxBytes: MAX_PAGE_FORM_BYTES, kinds: ['form'] });
/** One attempt limiter per secret (both receipt pages share theirs). */
const limiters = new Map(
  [...new Set(ROUTE_MATCHERS.flatMap(({ rule }) => (rule.secret ? [rule.secret] : [])))].map((secret) => [
    secret,
    limitFailedAttempts({ scope: secret.scope, ...SECRET_ATTEMPTS, wellFormedAsync: async (c) => secret.wellFormed(await parameters(c)) }),
  ]),
);

/**
 * Runs before the console's sign-in and the Astro site in src/worker.ts, on every request the
 * routes before it did not answer. A request for a per-request route gets its rule; any other
 * non-GET request would reach the 404 page, where nothing takes it: 404 problem+json.
 */
export const perRequestPageGuards: MiddlewareHandler<AppEnv> = async (c, next) => {
  const pathname = new URL(c.req.url).pathname;
  const rule = ruleFor(pathname);
  if (!rule) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return problem(c, 404, 'Not found', { detail: `Nothing at ${pathname} takes a ${c.req.method} request.` });
  }
  if (!rule.methods.includes(c.req.method)) return methodNotAllowed(...rule.methods)(c);
  const limiter = rule.secret ? limiters.get(rule.secret)! : undefined;
  const open = (pass: Next) => (limiter ? limiter(c, pass) : pass());
  if (c.req.method === 'POST') {
    // Browsers send Origin with every form POST; without it, Astro's own origin check would
    // answer a bare text/plain 403. Refuse it here, clearly, before anything is read.
    if (c.req.header('origin') !== new URL(c.req.url).origin) {
      return problem(c, 403, 'Cross-site request refused', { type: problemType('csrf'), detail: 'This form can only be submitted from the trust center’s own pages. Open the page again on this site and submit it there.' });
    }
    return readPageForm(c, async () => {
      // The limiter answers itself (a Response) or passes on to the page (which sets c.res).
      const answer = await open(next);
      if (answer instanceof Response) c.res = answer;
    });
  }
  return open(next);
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
  return methodNotAllowed(...GET_AND_HEAD)(c);
};
