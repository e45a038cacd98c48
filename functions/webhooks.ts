import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { toHex } from '../src/domain/encoding.ts';
import { sha256Hex } from '../src/domain/sha256.ts';
import { generateWebhookSecret } from '../src/domain/standard-webhooks.ts';
import type { AppEnv } from './app-env.ts';
import { clientIp } from './lib/client-ip.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { mailFrom, mailTransport } from './mail/transport.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from './pipeline/attempt-limit.ts';
import { readBody } from './pipeline/body.ts';
import { mailingRateLimits, rateLimit } from './pipeline/rate-limit.ts';
import { type Validated, validBody, validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';
import { confirmationMail } from './webhooks/mails.ts';
import { confirmedPage, confirmPage, invalidLinkPage, webhookPage } from './webhooks/pages.ts';
import { CONFIRM_TTL_MS, webhookRegistrationSchema, WebhookTokenSchema } from './webhooks/registration.ts';
import { confirmEndpoint, deletePendingEndpoint, insertPendingEndpoint, pendingByToken } from './webhooks/store.ts';

const MAX_BODY_BYTES = 8 * 1024;
/** The confirm form sends one 64-character token. */
const MAX_CONFIRM_BODY_BYTES = 1024;

const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));
const LangSchema = z.enum(['de', 'en']).catch('de');
const langOf = (c: Context): 'de' | 'en' => LangSchema.parse(c.req.query('lang'));
const badLink = (c: Context) => webhookPage(c, invalidLinkPage(langOf(c)), 400);

/**
 * `/api/webhooks`: registration of webhook endpoints for notices.
 * - `POST /` (JSON {url, topics, ownerEmail, lang}) registers a pending endpoint and mails its
 *   owner a single-use confirmation link; nothing is delivered before the owner confirms;
 * - `GET /confirm?token=` shows what will be confirmed (mail scanners only GET);
 * - `POST /confirm` (form field token) activates the endpoint and shows its `whsec_` secret once.
 */
export const webhooks = new Hono<AppEnv>()
  .post(
    '/',
    sameOriginOnly,
    readBody({ maxBytes: MAX_BODY_BYTES, kinds: ['json'] }),
    validBody(webhookRegistrationSchema, { type: 'invalid-submission', title: 'Invalid webhook registration' }),
    rateLimit<Validated<'body', ReturnType<typeof webhookRegistrationSchema>>>({ scope: 'webhook', limits: mailingRateLimits, email: (c) => c.var.body.ownerEmail, what: 'webhook registrations' }),
    async (c) => {
      const registration = c.var.body;
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
        await deletePendingEndpoint(c.env.DB, id);
        return problem(c, 503, 'Confirmation mail not sent', { type: problemType('mail-unavailable'), detail: 'The confirmation mail could not be sent; nothing was registered. Please retry.' }, { 'retry-after': '60' });
      }
      return c.json({ status: 'pending', url: registration.url, detail: `A confirmation link was sent to ${registration.ownerEmail}. Deliveries start once it is confirmed.` }, 202);
    },
  )
  .all('/', methodNotAllowed('POST'))
  .get(
    '/confirm',
    validQuery(z.object({ token: WebhookTokenSchema, lang: z.string().optional() }), { invalidPage: badLink }),
    limitFailedAttempts({ scope: 'webhook-token', ...SECRET_ATTEMPTS }),
    async (c) => {
      const { token } = c.var.query;
      const pending = await pendingByToken(c.env.DB, await sha256Hex(token));
      if (!pending || pending.expiresAt <= new Date().toISOString()) return webhookPage(c, invalidLinkPage(langOf(c)), 404);
      return webhookPage(c, confirmPage(pending.lang, pending, token));
    },
  )
  .post(
    '/confirm',
    sameOriginOnly,
    readBody({ maxBytes: MAX_CONFIRM_BODY_BYTES, kinds: ['form'] }),
    validBody(z.object({ token: WebhookTokenSchema }), { invalidPage: badLink }),
    limitFailedAttempts({ scope: 'webhook-token', ...SECRET_ATTEMPTS }),
    async (c) => {
      const secret = generateWebhookSecret();
      const endpoint = await confirmEndpoint(c.env, await sha256Hex(c.var.body.token), secret, clientIp(c), new Date());
      if (!endpoint) return webhookPage(c, invalidLinkPage(langOf(c)), 404);
      return webhookPage(c, confirmedPage(endpoint.lang, endpoint, secret));
    },
  )
  .all('/confirm', methodNotAllowed('GET', 'POST'));
