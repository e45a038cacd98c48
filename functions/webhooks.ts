import { Hono, type Context } from 'hono';
import { fieldErrors } from '../src/domain/acceptance-record.ts';
import { toHex } from '../src/domain/encoding.ts';
import { sha256Hex } from '../src/domain/sha256.ts';
import { generateWebhookSecret } from '../src/domain/standard-webhooks.ts';
import { checkWebhookUrl } from '../src/domain/webhook-url.ts';
import type { AppEnv } from './app-env.ts';
import { limitBody } from './lib/body-limit.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { countHit, mailingRateLimitConfig } from './lib/rate-limit.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { mailFrom, mailTransport } from './mail/transport.ts';
import { noticeConfig } from './notices/config.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';
import { confirmationMail } from './webhooks/mails.ts';
import { confirmedPage, confirmPage, invalidLinkPage } from './webhooks/pages.ts';
import { CONFIRM_TTL_MS, WebhookRegistrationSchema } from './webhooks/registration.ts';
import { confirmEndpoint, insertPendingEndpoint, pendingByToken } from './webhooks/store.ts';
import { clientIp } from './lib/client-ip.ts';

const MAX_BODY_BYTES = 8 * 1024;



const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));
const langOf = (value: string | undefined): 'de' | 'en' => (value === 'en' ? 'en' : 'de');
// `same-origin`, not `no-referrer`: the token in the URL must not leak to other sites, but
// under `no-referrer` Chromium sends `Origin: null` with the confirm form and the CSRF check
// (rightly) refuses it.
const html = (c: Context, body: string, status: 200 | 404 = 200) =>
  c.html(body, status, { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });

/**
 * `/api/webhooks`: registration of webhook endpoints for notices.
 * - `POST /` (JSON {url, topics, ownerEmail, lang}) registers a pending endpoint and mails its
 *   owner a single-use confirmation link; nothing is delivered before the owner confirms;
 * - `GET /confirm?token=` shows what will be confirmed (mail scanners only GET);
 * - `POST /confirm` (form field token) activates the endpoint and shows its `whsec_` secret once.
 */
export const webhooks = new Hono<AppEnv>()
  .post('/', sameOriginOnly, limitBody(MAX_BODY_BYTES), async (c) => {
    if ((c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      return problem(c, 415, 'Unsupported media type', { type: problemType('unsupported-media-type'), detail: 'Send the registration as application/json.' }, { 'accept-post': 'application/json' });
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, 400, 'Malformed JSON', { type: problemType('invalid-submission'), detail: 'The body is not valid JSON.' });
    }
    const ownerEmail = typeof body === 'object' && body !== null && 'ownerEmail' in body && typeof body.ownerEmail === 'string' ? body.ownerEmail : undefined;
    const limits = await countHit(c.env.DB, mailingRateLimitConfig(c.env), clientIp(c) ?? 'unknown', ownerEmail, Date.now(), 'webhook:').catch(() => null);
    if (limits === null) return problem(c, 503, 'Not registered, please retry', { type: problemType('storage-unavailable'), detail: 'Nothing was stored. Please retry.' }, { 'retry-after': '1' });
    if (limits.exceeded.length > 0) {
      return problem(
        c,
        429,
        'Too many registrations',
        { type: problemType('rate-limited'), detail: `Too many webhook registrations from this ${limits.exceeded.join(' and ')}. Try again in ${Math.ceil(limits.retryAfter / 60)} minute(s).` },
        { 'retry-after': String(limits.retryAfter) },
      );
    }
    const parsed = WebhookRegistrationSchema.safeParse(body);
    const errors = parsed.success ? [] : fieldErrors(parsed.error);
    const check = parsed.success ? checkWebhookUrl(parsed.data.url, { development: noticeConfig(c.env).development }) : null;
    if (check && !check.ok) errors.push({ field: 'url', message: check.reason });
    if (!parsed.success || errors.length > 0) {
      return problem(c, 400, 'Invalid webhook registration', {
        type: problemType('invalid-submission'),
        detail: `Please correct: ${errors.map((error) => `${error.field} (${error.message})`).join('; ')}.`,
        invalidParams: errors.map(({ field, message }) => ({ name: field, reason: message })),
      });
    }
    const registration = parsed.data;
    const manifest = await publishedManifest(c.env, c.req.url);
    const now = new Date();
    const token = randomHex(32);
    const id = `ep_${randomHex(12)}`;
    await insertPendingEndpoint(
      c.env.DB,
      { id, url: registration.url, topics: registration.topics, ownerEmail: registration.ownerEmail, lang: registration.lang, tokenSha256: await sha256Hex(token), expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS), ip: clientIp(c) },
      now,
    );
    const confirmUrl = `${new URL(c.req.url).origin}/api/webhooks/confirm?token=${token}&lang=${registration.lang}`;
    try {
      await mailTransport(c.env).send({ from: mailFrom(c.env), to: registration.ownerEmail, ...confirmationMail(manifest, registration, confirmUrl) });
    } catch (error) {
      // Without the mail the registration can never be confirmed; remove it and ask for a retry.
      console.error('webhook confirmation mail not sent', error);
      await c.env.DB.prepare('DELETE FROM webhook_endpoints WHERE id = ?').bind(id).run();
      return problem(c, 503, 'Confirmation mail not sent', { type: problemType('mail-unavailable'), detail: 'The confirmation mail could not be sent; nothing was registered. Please retry.' }, { 'retry-after': '60' });
    }
    return c.json({ status: 'pending', detail: `A confirmation link was sent to ${registration.ownerEmail}. Deliveries start once it is confirmed.` }, 202);
  })
  .all('/', methodNotAllowed('POST'))
  .get('/confirm', async (c) => {
    const lang = langOf(c.req.query('lang'));
    const token = c.req.query('token') ?? '';
    const pending = /^[0-9a-f]{64}$/.test(token) ? await pendingByToken(c.env.DB, await sha256Hex(token)) : null;
    if (!pending || pending.expiresAt <= new Date().toISOString()) return html(c, invalidLinkPage(lang), 404);
    return html(c, confirmPage(pending.lang, pending, token));
  })
  .post('/confirm', sameOriginOnly, limitBody(MAX_BODY_BYTES), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token : '';
    const lang = langOf(c.req.query('lang'));
    const secret = generateWebhookSecret();
    const endpoint = /^[0-9a-f]{64}$/.test(token) ? await confirmEndpoint(c.env.DB, await sha256Hex(token), secret, clientIp(c), new Date()) : null;
    if (!endpoint) return html(c, invalidLinkPage(lang), 404);
    return html(c, confirmedPage(endpoint.lang, endpoint, secret));
  })
  .all('/confirm', methodNotAllowed('GET', 'POST'));
