import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '../functions/api.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';

// The route table is read from the API's Hono app in Node; SMTP's socket import exists only in
// workerd and is never called here.
vi.mock('cloudflare:sockets', () => ({ connect: () => Promise.reject(new Error('no sockets in Node')) }));

/*
 * Property-based probe of the edge: for every endpoint, fast-check generates bad requests
 * (wrong shapes and types, broken JSON and multipart, wrong media types, malformed tokens and
 * queries, cross-site origins, unknown methods) and sends them through the real Worker in
 * workerd. Every answer must be a 4xx with problem+json — or, for a browser's form post or a
 * page, a clear HTML page or a redirect back to the form naming the error — never a 5xx, and
 * no table may gain or lose a row. The endpoints come from the API's route table: a route
 * missing below (and not named as taking no input) fails the run.
 */
const RUNS = 1_000;
const CONCURRENCY = 25;
/** Fixed per run and printed on failure; FUZZ_SEED replays a run. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let worker: WorkerHandle;
beforeAll(async () => {
  // The console configured as in production (Cloudflare Access), so its endpoints answer a
  // request without a valid JWT with 401, not with 503 "console off".
  worker = await startWorker({ vars: { CF_ACCESS_TEAM_DOMAIN: 'wolkenwerk-fuzz.cloudflareaccess.com', CF_ACCESS_AUD: 'fuzz-console-aud' } });
});
afterAll(async () => {
  await worker?.dispose();
});

/** Rows per table (all of them, including the counters of rate and attempt limits). */
async function rowCounts(): Promise<Record<string, number>> {
  const { results } = await worker.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'").all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of results) counts[name] = (await worker.db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
  return counts;
}

/** Endpoints behind the admin token or the console's sign-in: each request to them, refused or not, is an audit row. */
const ADMIN_ENDPOINTS = new Set([
  'GET /api/acceptances/status', 'GET /api/notices/evidence', 'GET /api/notices/timing', 'GET /api/ledger/verify', 'POST /api/retention/avv-ends', 'GET /api/retention/avv-ends',
  'POST /api/admin/invitations', 'POST /api/admin/ledger/verify', 'GET /api/admin/exports/:file',
]);
/**
 * The development sign-in is off here (production config): refused by the same-origin check
 * without an audit row, or by the sign-in guard with one (functions/admin.ts).
 */
const SOMETIMES_AUDITED = new Set(['POST /api/admin/sign-in']);

/** Routes no request can get wrong, so they are not probed here. */
const WITHOUT_INPUT: Record<string, string> = {
  'GET /api/health': 'takes no input',
  'GET /api/ledger/checkpoint': 'takes no input',
  'GET /api/ledger/public-key': 'takes no input',
  'GET /api/subscriptions/confirm': 'forwards any link from an old mail to its page, which checks it (POST /subscribe/confirm/ below)',
  'GET /api/subscriptions/unsubscribe': 'forwards any link from an old mail to its page, which checks it (POST /subscribe/unsubscribe/ below)',
  'POST /api/admin/sign-out': 'only deletes the sign-in cookie; no form is wrong for that',
};

interface BadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// --- generators ---------------------------------------------------------------------------

const text = fc.string({ maxLength: 80 });
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
/** Not a well-formed secret of any kind (wrong length or alphabet), so no attempt counts. */
const badToken = fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }), fc.string({ minLength: 70, maxLength: 120 }), fc.constant('x'.repeat(43) + '!'));
const jsonGarbage = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.dictionary(text, fc.jsonValue()).map((value) => JSON.stringify(value)),
  text.map((value) => `{"${value}`),
  fc.constant('{"token":'),
);
const formGarbage = fc.dictionary(fc.constantFrom('email', 'topics', 'lang', 'token', 'signerEmail', 'companyName', 'authorised', 's', 't', 'url', 'List-Unsubscribe', 'changeId', 'kind', ...'abc'), unicode).map((fields) => new URLSearchParams(fields).toString());
const brokenMultipart = fc.tuple(text, text).map(([name, value]) => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}`);

/** A bad body for an endpoint taking `kinds`: garbage of an accepted type, or another type. */
function badBody(kinds: Array<'json' | 'form'>): fc.Arbitrary<{ headers: Record<string, string>; body: string }> {
  const options: Array<fc.Arbitrary<{ headers: Record<string, string>; body: string }>> = [
    fc.record({ headers: fc.constantFrom<Record<string, string>>({ 'content-type': 'text/plain' }, { 'content-type': 'application/xml' }, {}), body: text }),
    fc.record({ headers: fc.constant({ 'content-type': 'multipart/form-data; boundary=B' }), body: brokenMultipart }),
    fc.record({ headers: fc.constant({ 'content-type': 'application/json' }), body: fc.constant('x'.repeat(20_000)) }),
    fc.record({ headers: fc.constant({ 'content-type': 'application/json', origin: 'https://evil.example' }), body: jsonGarbage }),
  ];
  if (kinds.includes('json')) options.push(fc.record({ headers: fc.constant({ 'content-type': 'application/json' }), body: jsonGarbage }));
  if (kinds.includes('form')) options.push(fc.record({ headers: fc.constant({ 'content-type': 'application/x-www-form-urlencoded' }), body: formGarbage }));
  return fc.oneof(...options);
}

const post = (path: fc.Arbitrary<string>, kinds: Array<'json' | 'form'>) =>
  fc.tuple(path, badBody(kinds)).map(([p, { headers, body }]): BadRequest => ({ method: 'POST', path: p, headers, body }));
const pagePost = (path: fc.Arbitrary<string>) =>
  fc.tuple(post(path, ['form']), fc.constantFrom<Record<string, string>>({ origin: 'http://localhost' }, { origin: 'http://localhost' }, {}, { origin: 'https://evil.example' })).map(([request, origin]) => ({ ...request, headers: { ...request.headers, ...origin } }));
const get = (path: fc.Arbitrary<string>, headers: fc.Arbitrary<Record<string, string>> = fc.constant({})) =>
  fc.tuple(path, headers).map(([p, h]): BadRequest => ({ method: 'GET', path: p, headers: h }));
const query = (...names: string[]) => fc.tuple(...names.map(() => fc.option(fc.oneof(text, badToken), { nil: undefined }))).map((values) => {
  const params = new URLSearchParams();
  values.forEach((value, index) => value !== undefined && params.set(names[index]!, value));
  return `?${params}`;
});
/** An Authorization header that is not `Bearer <token>` (a wrong token would count as an attempt). */
const badAuth = fc.oneof(fc.constant({}), text.map((value) => ({ authorization: `Basic ${value}` })), fc.constant({ authorization: 'Bearer' }));
/** A bad post to a console action, without a valid sign-in. */
const adminPost = (path: string) =>
  fc.tuple(post(fc.constant(path), ['json', 'form']), badAuth).map(([request, auth]): BadRequest => ({ ...request, headers: { ...request.headers, ...auth } }));
const wrongMethod = (path: string, allowed: string[]) =>
  fc.constantFrom(...['GET', 'PUT', 'DELETE', 'PATCH', 'POST'].filter((method) => !allowed.includes(method))).map((method): BadRequest => ({ method, path, headers: {} }));

const ENDPOINTS: Record<string, { requests: fc.Arbitrary<BadRequest>; page?: boolean }> = {
  'POST /api/acceptances': { requests: fc.oneof(post(fc.constant('/api/acceptances'), ['json', 'form']), wrongMethod('/api/acceptances', ['POST'])) },
  'POST /api/subscriptions': { requests: fc.oneof(post(fc.constant('/api/subscriptions'), ['json', 'form']), wrongMethod('/api/subscriptions', ['POST'])) },
  'POST /api/subscriptions/confirm': { requests: post(fc.constant('/api/subscriptions/confirm'), ['json', 'form']) },
  'POST /api/subscriptions/unsubscribe': { requests: post(query('s', 't').map((q) => `/api/subscriptions/unsubscribe${q}`), ['form']) },
  'POST /api/webhooks': { requests: fc.oneof(post(fc.constant('/api/webhooks'), ['json']), wrongMethod('/api/webhooks', ['POST'])) },
  'GET /api/webhooks/confirm': { requests: get(query('token', 'lang').map((q) => `/api/webhooks/confirm${q}`)), page: true },
  'POST /api/webhooks/confirm': { requests: post(fc.constant('/api/webhooks/confirm'), ['form']), page: true },
  'GET /api/acceptances/status': { requests: get(query('account').map((q) => `/api/acceptances/status${q}`), badAuth) },
  'POST /api/objections': { requests: fc.oneof(post(fc.constant('/api/objections'), ['json', 'form']), wrongMethod('/api/objections', ['POST'])) },
  'GET /api/objections/:recordId/receipt': { requests: get(fc.tuple(text, query('key')).map(([id, q]) => `/api/objections/${encodeURIComponent(id) || 'x'}/receipt${q}`)) },
  'GET /declarations/receipt/': { requests: get(query('id', 'key').map((q) => `/declarations/receipt/${q}`)), page: true },
  'GET /api/acceptances/:recordId/receipt': { requests: get(fc.tuple(text, query('key')).map(([id, q]) => `/api/acceptances/${encodeURIComponent(id) || 'x'}/receipt${q}`)) },
  'GET /api/notices/evidence': { requests: get(query('event', 'format').map((q) => `/api/notices/evidence${q}`), badAuth) },
  'POST /api/retention/avv-ends': { requests: post(fc.constant('/api/retention/avv-ends'), ['json']) },
  'GET /api/retention/avv-ends': { requests: get(query('account', 'record').map((q) => `/api/retention/avv-ends${q}`), badAuth) },
  'GET /api/notices/timing': { requests: get(query('event').map((q) => `/api/notices/timing${q}`), badAuth) },
  'GET /api/ledger/proof': { requests: get(query('leaf', 'size').map((q) => `/api/ledger/proof${q}`)) },
  'GET /api/ledger/consistency': { requests: get(query('from', 'to').map((q) => `/api/ledger/consistency${q}`)) },
  'GET /api/ledger/verify': { requests: get(query('checkpoint').map((q) => `/api/ledger/verify${q}`), badAuth) },
  'POST /api/admin/sign-in': { requests: fc.oneof(pagePost(fc.constant('/api/admin/sign-in')), post(fc.constant('/api/admin/sign-in'), ['json'])) },
  'POST /api/admin/invitations': { requests: adminPost('/api/admin/invitations') },
  'POST /api/admin/ledger/verify': { requests: adminPost('/api/admin/ledger/verify') },
  'GET /api/admin/exports/:file': {
    requests: get(fc.tuple(fc.oneof(fc.constantFrom('accounts.csv', 'audit.json', 'nope.csv'), text), query('q', 'status', 'change', 'x')).map(([file, q]) => `/api/admin/exports/${exportSegment(file)}${q}`), badAuth),
  },
  'GET /api/avv/compare': { requests: get(query('from', 'to', 'lang').map((q) => `/api/avv/compare${q}`)) },
  'GET /avv/accept/receipt/': { requests: get(query('id', 'key').map((q) => `/avv/accept/receipt/${q}`)), page: true },
  // As a browser posts them (same origin), and sometimes without Origin or from elsewhere.
  'POST /subscribe/confirm/': { requests: pagePost(fc.constantFrom('/subscribe/confirm/', '/en/subscribe/confirm/')), page: true },
  'POST /subscribe/unsubscribe/': { requests: pagePost(fc.constantFrom('/subscribe/unsubscribe/', '/en/subscribe/unsubscribe/')), page: true },
};

/**
 * A file name as one path segment. "." and ".." are no file names: URL parsing removes them as
 * dot segments, so the request would reach another route (/api/admin/exports/, /api/admin/).
 */
function exportSegment(file: string): string {
  const segment = encodeURIComponent(file);
  return segment === '' || segment === '.' || segment === '..' ? `x${segment}` : segment;
}

// --- the property ---------------------------------------------------------------------------

/** Why an answer is not acceptable for a bad request, or null when it is. */
async function verdict(request: BadRequest, response: Response, page: boolean): Promise<string | null> {
  const type = response.headers.get('content-type') ?? '';
  const body = await response.text();
  if (response.status >= 500) return `${response.status} ${body.slice(0, 200)}`;
  const formPost = request.method === 'POST' && /form/.test(request.headers['content-type'] ?? '');
  if (response.status === 303) {
    // A browser's form post goes back to its form, which shows what to correct.
    const location = response.headers.get('location') ?? '';
    return formPost && /[?&]error=/.test(location) ? null : `303 to ${location}`;
  }
  if (response.status < 400) return `${response.status} for a bad request`;
  if (type.startsWith('application/problem+json')) return null;
  // A page that says what is wrong: the Worker's own pages, or a browser's form post answered
  // with its form filled in and the errors shown.
  if ((page || formPost) && type.startsWith('text/html') && /<h1/i.test(body)) return null;
  return `${response.status} with ${type || 'no content type'}`;
}

describe('fuzzing every endpoint with bad requests', () => {
  it('probes every route of the API (from its route table)', () => {
    const routes = new Set(api.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} /api${route.path}`));
    expect([...routes].filter((route) => !(route in ENDPOINTS) && !(route in WITHOUT_INPUT)), 'routes neither probed nor named as taking no input').toEqual([]);
    expect(Object.keys(WITHOUT_INPUT).filter((route) => !routes.has(route)), 'WITHOUT_INPUT names no route of the API').toEqual([]);
  });

  const figures: Record<string, { requests: number; serverErrors: number }> = {};
  afterAll(() => {
    console.log(`fuzz probe: ${JSON.stringify(figures)}`);
  });

  it.each(Object.entries(ENDPOINTS))(`%s: ${RUNS} bad requests, every answer 4xx problem+json or a clear page, no 5xx, no row written`, async (name, { requests, page }) => {
    const before = await rowCounts();
    const tally = { requests: 0, serverErrors: 0 };
    figures[name] = tally;
    const failures: string[] = [];
    // Sent CONCURRENTLY (the Worker handles requests in parallel in production too), which keeps
    // 15,000 requests within a minute or two on two cores; a failure names the seed to replay.
    const samples = fc.sample(requests, { numRuns: RUNS, seed: SEED });
    for (let start = 0; start < samples.length; start += CONCURRENCY) {
      await Promise.all(
        samples.slice(start, start + CONCURRENCY).map(async (request) => {
          const response = await worker.fetch(request.path, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
          tally.requests++;
          if (response.status >= 500) tally.serverErrors++;
          const problem = await verdict(request, response, page ?? false);
          if (problem !== null) failures.push(`${request.method} ${request.path} ${JSON.stringify(request.headers)} ${JSON.stringify(request.body?.slice(0, 200))} → ${problem}`);
        }),
      );
    }
    expect(failures.slice(0, 5), `seed ${SEED} (FUZZ_SEED=${SEED} replays it)`).toEqual([]);
    expect(tally).toEqual({ requests: RUNS, serverErrors: 0 });
    // The one table a refused request must write to: the admin audit trail records every request
    // to an admin endpoint, refused ones included (migration 0012) — and only those.
    const { admin_audit: audited = 0, ...after } = await rowCounts();
    const { admin_audit: auditedBefore = 0, ...expected } = before;
    expect(after).toEqual(expected);
    const refusedAdmin = await worker.db.prepare("SELECT COUNT(*) AS n FROM admin_audit WHERE outcome = 'refused' AND auth = 'none'").first<{ n: number }>();
    const replay = `audit rows, seed ${SEED} (FUZZ_SEED=${SEED} replays it)`;
    if (SOMETIMES_AUDITED.has(name)) expect(audited - auditedBefore, replay).toBeLessThanOrEqual(RUNS);
    else expect(audited - auditedBefore, replay).toBe(ADMIN_ENDPOINTS.has(name) ? RUNS : 0);
    expect(refusedAdmin!.n, replay).toBe(audited);
  }, 300_000);
});
