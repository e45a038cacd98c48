import type { Context, MiddlewareHandler } from 'hono';
import { checkAdminToken, limitWrongTokens } from '../lib/admin-auth.ts';
import { problemType } from '../lib/problem-types.ts';
import { paths } from '../../src/lib/paths.ts';
import { problem } from '../problem.ts';
import { accessConfig, AccessConfigError, accessKeys, verifyAccessJwt, type AccessRefusal } from './access-jwt.ts';
import type { AdminAuth } from './audit-store.ts';
import { audit } from './audit.ts';
import { devSignedInName, devSignInAllowed } from './dev-sign-in.ts';

/** Who is using the console, and how we know. */
export interface AdminActor {
  actor: string;
  auth: Exclude<AdminAuth, 'none'>;
}

/** Hono environment of console routes: the actor, and what the request does (for the audit). */
export interface AdminEnv {
  Bindings: Env;
  Variables: { admin: AdminActor; auditAction: string };
}

const ACCESS_HEADER = 'cf-access-jwt-assertion';

const REFUSAL_DETAIL: Record<AccessRefusal, string> = {
  missing: 'Sign in through Cloudflare Access: requests must carry its Cf-Access-Jwt-Assertion.',
  malformed: 'The Cloudflare Access token is malformed.',
  expired: 'The Cloudflare Access session has expired; reload the page to sign in again.',
  'not-yet-valid': 'The Cloudflare Access token is not valid yet.',
  'wrong-audience': 'The Cloudflare Access token was issued for another application.',
  'wrong-issuer': 'The Cloudflare Access token was issued by another team.',
  'bad-signature': 'The Cloudflare Access token is not signed by this team’s keys.',
  'keys-unavailable': 'The Cloudflare Access keys could not be fetched; try again in a minute.',
  'no-identity': 'The Cloudflare Access token names no user or service token.',
};

/** Why a console request was not let in: the answer's status, title, problem type and detail. */
interface Refusal {
  status: 401 | 403 | 503;
  title: string;
  type: string;
  detail: string;
  headers?: Record<string, string>;
  /** A person at a browser is sent here instead (the development sign-in form). */
  signIn?: string;
}

type BrowserIdentity = { ok: true; admin: AdminActor } | { ok: false; refusal: Refusal };

/**
 * The console user of a browser request: Cloudflare Access when configured, else the
 * development sign-in where it is allowed, else nobody (the console is off). Used by the guard
 * and by the pages, which show who is signed in.
 */
export async function identifyBrowser(env: Env, request: Request): Promise<BrowserIdentity> {
  const url = new URL(request.url);
  let config;
  try {
    config = accessConfig(env);
  } catch (error) {
    if (!(error instanceof AccessConfigError)) throw error;
    return { ok: false, refusal: { status: 503, title: 'Console sign-in misconfigured', type: problemType('not-configured'), detail: error.message } };
  }
  if (config) {
    const result = await verifyAccessJwt(request.headers.get(ACCESS_HEADER) ?? undefined, config, accessKeys(config));
    if (result.ok) return { ok: true, admin: { actor: result.identity.actor, auth: 'access' } };
    const detail = REFUSAL_DETAIL[result.refusal];
    if (result.refusal === 'keys-unavailable') return { ok: false, refusal: { status: 503, title: 'Sign-in unavailable', type: problemType('access-unavailable'), detail, headers: { 'retry-after': '60' } } };
    if (result.refusal === 'missing') return { ok: false, refusal: { status: 401, title: 'Authentication required', type: problemType('unauthenticated'), detail } };
    return { ok: false, refusal: { status: 403, title: 'Not allowed', type: problemType('forbidden'), detail } };
  }
  if (devSignInAllowed(env, url)) {
    const name = await devSignedInName(env, request.headers.get('cookie') ?? '');
    if (name !== null) return { ok: true, admin: { actor: name, auth: 'dev-sign-in' } };
    return { ok: false, refusal: { status: 401, title: 'Authentication required', type: problemType('unauthenticated'), detail: 'Sign in at /admin/sign-in/ first (development sign-in).', signIn: paths.adminSignIn(url.pathname.startsWith('/en/') ? 'en' : 'de') } };
  }
  return {
    ok: false,
    refusal: { status: 503, title: 'Console sign-in not configured', type: problemType('not-configured'), detail: 'Set CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD (Cloudflare Access) to use the console.' },
  };
}

type Identified = { ok: true; admin: AdminActor } | { ok: false; response: Response };

async function identify(c: Context<AdminEnv>, allowToken: boolean): Promise<Identified> {
  if (allowToken && c.req.header('authorization') !== undefined) {
    const refused = await checkAdminToken(c);
    return refused ? { ok: false, response: refused } : { ok: true, admin: { actor: 'admin-token', auth: 'admin-token' } };
  }
  const identity = await identifyBrowser(c.env, c.req.raw);
  if (identity.ok) return identity;
  const { refusal } = identity;
  // A person at a browser gets the sign-in form; anything else the problem.
  if (refusal.signIn && c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')) {
    return { ok: false, response: new Response(null, { status: 303, headers: { location: refusal.signIn, 'cache-control': 'no-store' } }) };
  }
  return { ok: false, response: problem(c, refusal.status, refusal.title, { type: refusal.type, detail: refusal.detail }, refusal.headers) };
}

/**
 * A browser form POST carries the Access cookie (or the development cookie) by itself, so a
 * console action must come from the console's own pages: the Origin must be ours. Scripts with
 * the bearer token send no ambient credential and need no such check.
 */
function crossSite(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return true;
  return c.req.header('origin') !== new URL(c.req.url).origin;
}

/**
 * Guards console pages and console API routes: Cloudflare Access in production, the
 * development sign-in under `npm start`, and (`allowToken`, API only) the bearer ADMIN_TOKEN for
 * scripts. Every request, let in or refused, leaves an audit row.
 */
export function requireConsole(options: { allowToken: boolean; action?: string }): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (options.action) c.set('auditAction', options.action);
    let admin: AdminActor | null = null;
    let outcome: 'allowed' | 'refused' = 'refused';
    // Wrong bearer tokens count against the client IP, as on every token endpoint; its 429 is
    // audited like every other answer.
    const limited = await limitWrongTokens(c, async () => {
      const identified = await identify(c, options.allowToken);
      if (!identified.ok) {
        c.res = identified.response;
        return;
      }
      admin = identified.admin;
      if (identified.admin.auth !== 'admin-token' && crossSite(c)) {
        c.res = problem(c, 403, 'Cross-site request refused', { type: problemType('csrf'), detail: 'Console actions can only be submitted from the console’s own pages.' });
        return;
      }
      c.set('admin', identified.admin);
      outcome = 'allowed';
      await next();
    });
    if (limited instanceof Response) c.res = limited;
    await audit(c, admin, outcome, c.res.status, c.var.auditAction);
  };
}
