import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PAGE_CSP, SECURITY_HEADERS } from '../functions/pipeline/security-headers.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

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

/** Every API route (method and a request that reaches it), errors as well as successes. */
const API_ROUTES: Array<[string, string, RequestInit?]> = [
  ['GET', '/api/health'],
  ['GET', '/api/ledger/checkpoint'],
  ['GET', '/api/ledger/public-key'],
  ['GET', '/api/ledger/proof?leaf=0'],
  ['GET', '/api/ledger/verify'],
  ['GET', '/api/acceptances/status?account=A'],
  ['GET', `/api/acceptances/${crypto.randomUUID()}/receipt?key=x`],
  ['POST', '/api/acceptances', { headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['PUT', '/api/acceptances'],
  ['POST', '/api/subscriptions', { headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['GET', '/api/subscriptions/confirm?token=x'],
  ['POST', '/api/subscriptions/confirm', { headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['GET', '/api/subscriptions/unsubscribe?s=x&t=y'],
  ['POST', '/api/subscriptions/unsubscribe?s=x&t=y', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }],
  ['POST', '/api/webhooks', { headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['GET', `/api/webhooks/confirm?token=${'0'.repeat(64)}`],
  ['POST', '/api/webhooks/confirm', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' }],
  ['GET', '/api/notices/evidence'],
  ['GET', '/api/retention/avv-ends?account=A'],
  ['POST', '/api/retention/avv-ends', { headers: { 'content-type': 'application/json' }, body: '{}' }],
  ['GET', '/api/avv/compare?from=1.0&to=2.0'],
  ['GET', '/api/no-such-endpoint'],
  ['GET', '/.well-known/trust-center/receipt-key.pem'],
];

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
