import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { toBase64Url } from '../../src/domain/signing-key.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { ACCEPT_BROWSER_COOKIE } from '../../src/domain/cookies.ts';

/**
 * How a browser without JavaScript gets idempotent acceptances without ever being shown
 * someone else's receipt. The Worker hands every visitor of the (prerendered) accept page a
 * random cookie (for the whole site: the page must see it to keep it rather than hand out a new
 * one, which would break the match between two submissions from the same browser). A submission without an
 * Idempotency-Key is keyed by that cookie together with the submitted data: the same browser
 * submitting twice gets its own receipt back, anyone else sending the same fields simply makes
 * a new acceptance of their own (201), so a replay learns nothing about earlier ones. Without
 * the cookie (cookies off, a bare HTTP client) every submission is a new acceptance.
 */
export const BROWSER_COOKIE = ACCEPT_BROWSER_COOKIE.name;
const VALUE = /^[A-Za-z0-9_-]{22}$/;

export function browserCookie(c: Context): string | undefined {
  const value = getCookie(c, BROWSER_COOKIE);
  return value !== undefined && VALUE.test(value) ? value : undefined;
}

/** Set-Cookie for a fresh browser id: HttpOnly, SameSite=Strict, nothing but a random value. */
export function newBrowserCookie(requestUrl: string): string {
  const value = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const secure = new URL(requestUrl).protocol === 'https:' ? '; Secure' : '';
  return `${BROWSER_COOKIE}=${value}; Path=/; Max-Age=${ACCEPT_BROWSER_COOKIE.maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * The idempotency key of a submission without Idempotency-Key: bound to this browser, or
 * unique when there is no browser id.
 */
export async function derivedIdempotencyKey(browser: string | undefined, fingerprint: string): Promise<string> {
  return browser ? `browser:${await sha256Hex(`${browser}:${fingerprint}`)}` : `single:${crypto.randomUUID()}`;
}

/**
 * On the accept pages (wrangler.toml `run_worker_first`): the prerendered page as it is, plus the
 * browser cookie when the browser has none yet.
 */
export const issueBrowserCookie: MiddlewareHandler = async (c, next) => {
  await next();
  // 304 too: a browser revalidating its cached page whose cookie has expired gets a new one.
  if (browserCookie(c) !== undefined || (c.res.status !== 200 && c.res.status !== 304)) return;
  // Assets answer with immutable headers; Hono copies them onto a replacement, so replace first
  // and then edit the replacement's own headers.
  c.res = new Response(c.res.body, c.res);
  c.res.headers.append('set-cookie', newBrowserCookie(c.req.url));
  // The cookie differs per visitor: no shared cache may keep this answer.
  c.res.headers.set('cache-control', 'private, no-cache');
};
