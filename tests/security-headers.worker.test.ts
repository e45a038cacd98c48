import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '../functions/api.ts';
import { paths } from '../src/lib/paths.ts';
import { SEARCH_PAGE_CSP, SECURITY_HEADERS } from '../functions/pipeline/security-headers.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

// The route table is read from the API's Hono app in Node; SMTP's socket import exists only in
// workerd and is never called here.
vi.mock('cloudflare:sockets', () => ({ connect: () => Promise.reject(new Error('no sockets in Node')) }));

/*
 * Every response carries the security headers: each page of the sitemap and the files it
 * loads (served from static assets, headers from public/_headers), every API route (answered
 * by the Worker), the pages rendered per request, errors and redirects included.
 */
let worker: WorkerHandle;
let sitemapPaths: string[];
beforeAll(async () => {
  worker = await startWorker();
  const sitemap = await (await worker.fetch('/sitemap.xml')).text();
  sitemapPaths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
});
afterAll(async () => {
  await worker?.dispose();
});

/**
 * Requests that get past validation to the handler of a route; a route without one here is
 * still requested (GET/POST with an empty JSON body, DELETE for `all` = the 405 answer).
 */
const EXAMPLES: Record<string, [string, RequestInit?]> = {
  'GET /api/ledger/proof': ['/api/ledger/proof?leaf=0'],
  'GET /api/acceptances/status': ['/api/acceptances/status?account=A'],
  'GET /api/acceptances/:recordId/receipt': [`/api/acceptances/${crypto.randomUUID()}/receipt?key=x`],
  'GET /api/subscriptions/confirm': ['/api/subscriptions/confirm?token=x'],
  'GET /api/subscriptions/unsubscribe': ['/api/subscriptions/unsubscribe?s=x&t=y'],
  'POST /api/subscriptions/unsubscribe': ['/api/subscriptions/unsubscribe?s=x&t=y', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }],
  'GET /api/webhooks/confirm': [`/api/webhooks/confirm?token=${'0'.repeat(64)}`],
  'POST /api/webhooks/confirm': ['/api/webhooks/confirm', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' }],
  'GET /api/avv/compare': ['/api/avv/compare?from=1.0&to=2.0'],
};

/**
 * Every route of the API's Hono app (`api.routes`, so a new endpoint is covered without being
 * listed here), once per method, plus the Worker's own routes outside /api.
 */
function apiRoutes(): Array<[string, string, RequestInit?]> {
  const seen = new Set<string>();
  const routes: Array<[string, string, RequestInit?]> = [];
  for (const route of api.routes) {
    const method = route.method === 'ALL' ? 'DELETE' : route.method;
    const name = `${route.method === 'ALL' ? 'DELETE' : route.method} /api${route.path}`;
    if (seen.has(name) || route.path.includes('*')) continue;
    seen.add(name);
    const example = EXAMPLES[name];
    const path = example?.[0] ?? `/api${route.path.replace(/:[A-Za-z]+/g, crypto.randomUUID())}`;
    const init = example?.[1] ?? (method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : undefined);
    routes.push([method, path, init]);
  }
  for (const name of Object.keys(EXAMPLES)) if (!seen.has(name)) throw new Error(`EXAMPLES names ${name}, which is no route of the API`);
  return [...routes, ['GET', '/api/no-such-endpoint'], ['GET', paths.receiptKeyPem()], ['GET', paths.receiptKeys()]];
}
const API_ROUTES = apiRoutes();

/** Pages the Worker renders per request, and the 404 page. */
const RENDERED = ['/avv/accept/receipt/?id=x&key=y', '/en/subscribe/confirm/?token=x', '/subscribe/unsubscribe/?s=x&t=y', '/no-such-page'];

function expectSecurityHeaders(response: Response, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (name === 'content-security-policy') {
      // Pages with an inline style of their own add its hash; the search page may compile
      // WebAssembly (Pagefind); everything else is the same.
      const expected = /^(\/en)?\/search\//.test(what) ? SEARCH_PAGE_CSP : value;
      expect(response.headers.get(name)?.replace(/ 'sha256-[^']+'/g, ''), `${name} of ${what}`).toBe(expected);
    } else if (name === 'referrer-policy') {
      // The receipt page is stricter still (no-referrer); no answer is looser.
      expect(['same-origin', 'no-referrer'], `${name} of ${what}`).toContain(response.headers.get(name));
    } else {
      expect(response.headers.get(name), `${name} of ${what}`).toBe(value);
    }
  }
}

describe('security headers', () => {
  it('the sitemap lists the site (so the loop below covers something)', () => {
    expect(sitemapPaths.length).toBeGreaterThan(20);
  });

  it('on every sitemap page and every file it loads', async () => {
    const assets = new Set<string>();
    for (const page of sitemapPaths) {
      const response = await worker.fetch(page);
      expect(response.status, page).toBe(200);
      expectSecurityHeaders(response, page);
      const html = await response.text();
      for (const match of html.matchAll(/(?:href|src)="(\/[^"#?]*\.(?:css|js|svg|png|json|ics|atom|rss|txt|pem))"/g)) assets.add(match[1]!);
    }
    expect(assets.size).toBeGreaterThan(3);
    for (const asset of assets) {
      const response = await worker.fetch(asset);
      expectSecurityHeaders(response, asset);
      await response.arrayBuffer();
    }
  });

  it('covers every API route', () => {
    expect(API_ROUTES.length).toBeGreaterThan(25);
  });

  it.each(API_ROUTES)('on %s %s', async (method, route, init) => {
    const response = await worker.fetch(route, { method, redirect: 'manual', ...init });
    expectSecurityHeaders(response, `${method} ${route} (${response.status})`);
    await response.arrayBuffer();
  });

  it.each(RENDERED)('on the rendered page %s', async (page) => {
    const response = await worker.fetch(page);
    expectSecurityHeaders(response, page);
    await response.arrayBuffer();
  });

  it('public/_headers gives static files exactly the headers the Worker sets', async () => {
    const file = await readFile(path.join(import.meta.dirname, '../public/_headers'), 'utf8');
    const sections = file.split(/\n(?=\/)/);
    const block = sections.find((section) => section.startsWith('/*\n'))!;
    for (const search of ['/search/*', '/en/search/*', '/pagefind/*']) {
      const section = sections.find((candidate) => candidate.startsWith(`${search}\n`));
      expect(section, search).toContain(`  Content-Security-Policy: ${SEARCH_PAGE_CSP}`);
    }
    const declared = Object.fromEntries(
      block
        .split('\n')
        .slice(1)
        .filter((line) => /^\s+\S/.test(line))
        .map((line) => {
          const [name, ...value] = line.trim().split(': ');
          return [name!.toLowerCase(), value.join(': ')];
        }),
    );
    expect(declared).toEqual(SECURITY_HEADERS);
  });
});
