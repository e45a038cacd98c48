import type { MiddlewareHandler } from 'hono';

/**
 * The Content-Security-Policy of every page, API answer and asset. Scripts and styles load
 * only from the site's own files: the build emits every script as a file (astro.config.mjs
 * sets no inlining), so no `'unsafe-inline'`, hash or nonce is needed for scripts. A page the
 * Worker renders with its own inline style adds that style's hash (see `withStyleHash`).
 * `frame-ancestors 'none'`: no page may be framed (clickjacking of the accept, confirm,
 * unsubscribe and webhook-secret pages); `form-action 'self'`: forms post only here;
 * `base-uri 'none'`: an injected <base> cannot redirect relative URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The search page's policy: the same, plus `'wasm-unsafe-eval'` (compiling WebAssembly, not
 * evaluating JavaScript), which Pagefind's index reader needs. Only /search/, /en/search/ and
 * Pagefind's own files under /pagefind/ (its Web Worker runs under its script's policy) get it
 * (public/_headers).
 */
export const SEARCH_PAGE_CSP = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'");

/**
 * Headers every response carries, here and in public/_headers (static assets, which Cloudflare
 * serves before the Worker runs; tests/security-headers.node.test.ts keeps the two equal).
 * Referrer-Policy is `same-origin`, not `no-referrer`: under `no-referrer` Chromium sends
 * `Origin: null` with same-site form posts, which the CSRF check rightly refuses.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'accelerometer=(), browsing-topics=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
};

const PRODUCTION_HEADERS = Object.entries(SECURITY_HEADERS);
const DEVELOPMENT_HEADERS = PRODUCTION_HEADERS.filter(([name]) => name !== 'strict-transport-security');

/** The CSP with one inline style allowed by its hash ('sha256-…' of its exact text). */
export async function withStyleHash(css: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
  const hash = btoa(String.fromCharCode(...digest));
  return CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' 'sha256-${hash}'`);
}

/**
 * Adds the security headers to every response the Worker sends, keeping any a handler set
 * itself (a stricter Referrer-Policy on the receipt page, a CSP with a style hash). HSTS only
 * in production: in development the site runs on plain http://127.0.0.1.
 */
export const securityHeaders: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  await next();
  // One pass, no arrays per request: this runs on every answer of the Worker.
  let headers = c.res.headers;
  for (const [name, value] of c.env.ENVIRONMENT === 'development' ? DEVELOPMENT_HEADERS : PRODUCTION_HEADERS) {
    if (headers.has(name)) continue;
    try {
      headers.set(name, value);
    } catch {
      // Responses from the ASSETS binding or fetch() have immutable headers: answer with a copy.
      c.res = new Response(c.res.body, c.res);
      headers = c.res.headers;
      headers.set(name, value);
    }
  }
};
