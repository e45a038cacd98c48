import { Hono } from 'hono';
import { cf } from '@astrojs/cloudflare/hono';
import { astro } from 'astro/hono';
import { api } from '../functions/api.ts';
import { issueBrowserCookie } from '../functions/acceptances/browser-cookie.ts';
import type { NoticeMessage } from '../functions/notices/config.ts';
import { onQueue, onScheduled } from '../functions/notices/scheduled.ts';
import { problem } from '../functions/problem.ts';
import { consolePages } from '../functions/admin/page-guard.ts';
import { adminPageServices } from '../functions/admin/page-services.ts';
import { onlyGetAndHead, perRequestPageGuards, WORKER_FIRST_PAGES } from '../functions/page-guards.ts';
import { pageServices } from '../functions/page-services.ts';
import { securityHeaders } from '../functions/pipeline/security-headers.ts';
import { receiptKeyPem } from '../functions/receipt-key-pem.ts';
import { receiptKeys } from '../functions/receipt-keys.ts';
import { provideAdminServices } from './lib/admin-services.ts';
import { providePageServices } from './lib/page-services.ts';

/**
 * The Worker's entry (wrangler.toml `main`). `/api/*` is the Hono API and never falls through
 * to HTML; everything else is the Astro site: `cf()` serves the prerendered pages and assets
 * from the ASSETS binding and `astro()` renders what is left (the per-request pages and the 404
 * page, all guarded by `perRequestPageGuards`). Every answer gets the security headers. Besides `fetch`, the
 * Worker has a Cron Trigger (`scheduled`: dispatches notices of newly published changes) and
 * a Queue consumer (`queue`: sends each notice); @astrojs/cloudflare keeps this default export
 * as it is, so all three handlers reach the deployed Worker.
 */
// The site's per-request pages read storage only through these (src/ never imports functions/).
providePageServices(pageServices);
provideAdminServices(adminPageServices);

const app = new Hono<{ Bindings: Env }>();
// First, so that every answer — API, rendered page, asset, error — carries them.
app.use(securityHeaders);
app.route('/api', api);
app.route('/.well-known/trust-center/receipt-key.pem', receiptKeyPem);
app.route('/.well-known/trust-center/receipt-keys.json', receiptKeys);
// The accept pages and the change pages (their declaration forms) reach the Worker first
// (wrangler.toml run_worker_first) to get the browser cookie that keeps no-JS double-submits
// idempotent (functions/acceptances/browser-cookie.ts).
// They are prerendered pages: GET and HEAD only (their forms post to /api), as the asset server
// answers on every other static page — not the page again for a DELETE.
for (const path of WORKER_FIRST_PAGES) app.use(path, onlyGetAndHead);
app.get('/avv/accept/', issueBrowserCookie);
app.get('/en/avv/accept/', issueBrowserCookie);
app.get('/changes/:id/', issueBrowserCookie);
app.get('/en/changes/:id/', issueBrowserCookie);
app.all('/api/*', (c) => problem(c, 404, 'Not found', { detail: `No API endpoint at ${new URL(c.req.url).pathname}` }));
// Every route Astro renders per request answers only its methods, with problem+json; any other
// non-GET request would reach the 404 page and gets 404 problem+json (functions/page-guards.ts).
app.use(perRequestPageGuards);
// The privacy team's console: signed-in users only, every request audited (functions/admin/).
app.use('/admin/*', consolePages);
app.use('/en/admin/*', consolePages);
app.use(cf());
app.use(astro());

// The acceptance log's sequencer (wrangler.toml durable_objects): one object per log.
export { AcceptanceSequencer } from '../functions/acceptances/sequencer.ts';
// Rate-limit counters of the request pipeline (wrangler.toml durable_objects): 64 per endpoint.
export { RateLimitCounter } from '../functions/pipeline/rate-limit-counter.ts';

export default {
  fetch: app.fetch,
  scheduled: onScheduled,
  queue: onQueue,
} satisfies ExportedHandler<Env, NoticeMessage>;
