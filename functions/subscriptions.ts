import { Hono } from 'hono';
import { z } from 'zod';
import { paths, type Lang } from '../src/lib/paths.ts';
import type { AppEnv } from './app-env.ts';
import { clientIp } from './lib/client-ip.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { MailNotConfiguredError, MailTransportError } from './mail/transport.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from './pipeline/attempt-limit.ts';
import { readBody, wantsJson } from './pipeline/body.ts';
import { mailingRateLimits, rateLimit } from './pipeline/rate-limit.ts';
import { storageUnavailable } from './pipeline/storage.ts';
import { type FormPage, type Validated, validBody, validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { confirmByToken, requestSubscription, unsubscribeWithToken } from './subscriptions/flow.ts';
import { SubscriptionRequestSchema } from './subscriptions/request.ts';
import { subscriberLang } from './subscriptions/store.ts';
import { ConfirmationTokenSchema, SubscriberIdSchema, UnsubscribeTokenSchema } from './subscriptions/tokens.ts';
import { SubscriptionSecretMissingError } from './subscriptions/tokens.ts';

/** Largest accepted sign-up body; the form's fields need a few hundred bytes. */
export const MAX_SUBSCRIPTION_BODY_BYTES = 4 * 1024;
/** The RFC 8058 one-click body is `List-Unsubscribe=One-Click`; nothing longer is needed. */
const MAX_ONE_CLICK_BODY_BYTES = 1024;

const langOf = (raw: unknown): Lang => (typeof raw === 'object' && raw !== null && 'lang' in raw && raw.lang === 'en' ? 'en' : 'de');
/** A form post with invalid fields gets the subscribe page back, filled in, errors at the fields. */
const backToForm: FormPage = (c, invalid, values) =>
  refilledFormPage(c.env.ASSETS, c.req.url, { pagePath: paths.subscribe(langOf(values)), values, invalid, summaryId: 'subscribe-error-invalid' });

const ConfirmBodySchema = z.object({ token: ConfirmationTokenSchema });
const UnsubscribeQuerySchema = z.object({ s: SubscriberIdSchema, t: UnsubscribeTokenSchema });

/**
 * `/api/subscriptions`: email notices with double opt-in.
 * - `POST /` (form or JSON: email, topics, lang, wordingVersion) sends the confirmation mail;
 *   202 (JSON) or 303 to the "check your inbox" page (form), the same for any address;
 * - `POST /confirm` (JSON or form: token) confirms; GET leads to the confirmation page, since
 *   mail scanners fetch links and must not confirm anything;
 * - `POST /unsubscribe?s=&t=` is the RFC 8058 one-click target (200, no redirect, no cookie);
 *   GET leads to the page that asks first.
 */
export const subscriptions = new Hono<AppEnv>()
  .post(
    '/',
    sameOriginOnly,
    readBody({ maxBytes: MAX_SUBSCRIPTION_BODY_BYTES, kinds: ['json', 'form'] }),
    validBody(SubscriptionRequestSchema, { type: 'invalid-subscription', title: 'Invalid subscription', formPage: backToForm }),
    rateLimit<Validated<'body', typeof SubscriptionRequestSchema>>({ scope: 'subscribe', limits: mailingRateLimits, email: (c) => c.var.body.email, what: 'sign-ups' }),
    async (c) => {
      const request = c.var.body;
      try {
        await requestSubscription(c.env, new URL(c.req.url).origin, request, clientIp(c));
      } catch (error) {
        if (error instanceof MailNotConfiguredError) {
          return problem(c, 503, 'Email notices are not configured', { type: problemType('not-configured'), detail: 'This deployment has no mail transport; subscribe to the feeds instead.' });
        }
        if (error instanceof MailTransportError) {
          console.error('confirmation mail not sent', error.message);
          return problem(
            c,
            503,
            'Confirmation mail not sent',
            { type: problemType('mail-unavailable'), detail: 'The confirmation mail could not be sent and nothing was stored. Please try again in a minute.' },
            { 'retry-after': '60' },
          );
        }
        console.error('sign-up failed', error);
        return storageUnavailable(c);
      }
      if (!wantsJson(c)) return c.redirect(paths.subscribeSent(request.lang), 303);
      return c.json({ status: 'confirmation-sent', detail: 'If the address can receive mail, a confirmation link is on its way. Nothing is sent before it is confirmed.' }, 202);
    },
  )
  .all('/', methodNotAllowed('POST'))
  .get('/confirm', (c) => {
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'de';
    return c.redirect(paths.subscribeConfirm(lang, c.req.query('token') ?? ''), 303);
  })
  .post(
    '/confirm',
    sameOriginOnly,
    readBody({ maxBytes: MAX_SUBSCRIPTION_BODY_BYTES, kinds: ['json', 'form'] }),
    validBody(ConfirmBodySchema, { type: 'invalid-token', title: 'Invalid confirmation' }),
    limitFailedAttempts({ scope: 'subscription-token', ...SECRET_ATTEMPTS }),
    async (c) => {
      const result = await confirmByToken(c.env, new URL(c.req.url).origin, c.var.body.token, clientIp(c));
      if (result.kind === 'confirmed') return c.json({ status: 'confirmed', topics: result.request.topics, lang: result.request.lang });
      const detail = {
        used: 'This link was already used; the subscription is active.',
        expired: 'This link has expired. Please sign up again.',
        invalid: 'This link is not valid. Please sign up again.',
        valid: '',
      }[result.kind];
      return problem(c, result.kind === 'invalid' ? 404 : 410, 'Confirmation link not usable', { type: problemType(`token-${result.kind}`), detail });
    },
  )
  .all('/confirm', methodNotAllowed('GET', 'POST'))
  .get('/unsubscribe', async (c) => {
    const subscriberId = c.req.query('s') ?? '';
    const token = c.req.query('t') ?? '';
    const lang = (SubscriberIdSchema.safeParse(subscriberId).success ? await subscriberLang(c.env.DB, subscriberId).catch(() => null) : null) ?? 'de';
    return c.redirect(paths.unsubscribe(lang, subscriberId, token), 303);
  })
  // No same-origin check: the RFC 8058 POST comes from the mail provider, not from our pages;
  // the HMAC token in the URL is what authorises it.
  .post(
    '/unsubscribe',
    readBody({ maxBytes: MAX_ONE_CLICK_BODY_BYTES, kinds: ['form'] }),
    validQuery(UnsubscribeQuerySchema, { type: 'invalid-token', title: 'Invalid unsubscribe link' }),
    limitFailedAttempts({ scope: 'unsubscribe-token', ...SECRET_ATTEMPTS }),
    async (c) => {
      let outcome;
      try {
        outcome = await unsubscribeWithToken(c.env, c.var.query.s, c.var.query.t, 'one-click');
      } catch (error) {
        if (error instanceof SubscriptionSecretMissingError) return problem(c, 503, 'Unsubscribe is not configured', { type: problemType('not-configured'), detail: 'SUBSCRIPTION_SECRET is not set.' });
        console.error('unsubscribe failed', error);
        return storageUnavailable(c);
      }
      if (outcome === 'unknown') return problem(c, 404, 'Unknown unsubscribe link', { type: problemType('invalid-token'), detail: 'This unsubscribe link is not valid. Use the link from a current notice.' });
      return c.text(outcome === 'unsubscribed' ? 'Unsubscribed.\n' : 'Already unsubscribed.\n', 200, { 'cache-control': 'no-store' });
    },
  )
  .all('/unsubscribe', methodNotAllowed('GET', 'POST'));
