import { Hono, type Context } from 'hono';
import { paths, type Lang } from '../src/lib/paths.ts';
import type { AppEnv } from './app-env.ts';
import { limitBody } from './lib/body-limit.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { countHit, mailingRateLimitConfig } from './lib/rate-limit.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { MailNotConfiguredError, MailTransportError } from './mail/transport.ts';
import { problem } from './problem.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { confirmByToken, requestSubscription, unsubscribeWithToken } from './subscriptions/flow.ts';
import { invalidParams, readSubscriptionRequest, SubscriptionRequestSchema } from './subscriptions/request.ts';
import { subscriberLang } from './subscriptions/store.ts';
import { SubscriptionSecretMissingError } from './subscriptions/tokens.ts';
import { clientIp } from './lib/client-ip.ts';

/** Largest accepted sign-up body; the form's fields need a few hundred bytes. */
export const MAX_SUBSCRIPTION_BODY_BYTES = 4 * 1024;

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
  .post('/', sameOriginOnly, limitBody(MAX_SUBSCRIPTION_BODY_BYTES), async (c) => {
    const read = await readSubscriptionRequest(c);
    if (!read.ok) return read.response;
    const { fields } = read;
    const json = read.json || (c.req.header('accept') ?? '').includes('application/json');
    const lang: Lang = fields.lang === 'en' ? 'en' : 'de';

    const email = typeof fields.email === 'string' ? fields.email : undefined;
    const limits = await countHit(c.env.DB, mailingRateLimitConfig(c.env), clientIp(c) ?? 'unknown', email, Date.now(), 'subscribe:').catch(() => null);
    if (limits === null) return unavailable(c);
    if (limits.exceeded.length > 0) {
      return problem(
        c,
        429,
        'Too many sign-ups',
        { type: problemType('rate-limited'), detail: `Too many sign-ups from this ${limits.exceeded.map((kind) => (kind === 'email' ? 'address' : 'IP address')).join(' and ')}. Try again in ${Math.ceil(limits.retryAfter / 60)} minute(s).` },
        { 'retry-after': String(limits.retryAfter) },
      );
    }

    const parsed = SubscriptionRequestSchema.safeParse(fields);
    if (!parsed.success) {
      const params = invalidParams(parsed.error);
      if (!json) return refilledFormPage(c.env.ASSETS, c.req.url, { pagePath: paths.subscribe(lang), values: fields, invalid: params.map((param) => param.name), summaryId: 'subscribe-error-invalid' });
      return problem(c, 400, 'Invalid subscription', {
        type: problemType('invalid-subscription'),
        detail: `Please correct: ${params.map((param) => `${param.name} (${param.reason})`).join('; ')}.`,
        invalidParams: params,
      });
    }

    try {
      await requestSubscription(c.env, new URL(c.req.url).origin, parsed.data, clientIp(c));
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
      return unavailable(c);
    }
    if (!json) return c.redirect(paths.subscribeSent(parsed.data.lang), 303);
    return c.json({ status: 'confirmation-sent', detail: 'If the address can receive mail, a confirmation link is on its way. Nothing is sent before it is confirmed.' }, 202);
  })
  .all('/', methodNotAllowed('POST'))
  .get('/confirm', (c) => {
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'de';
    return c.redirect(paths.subscribeConfirm(lang, c.req.query('token') ?? ''), 303);
  })
  .post('/confirm', sameOriginOnly, limitBody(MAX_SUBSCRIPTION_BODY_BYTES), async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let token: unknown;
    if (type === 'application/json') token = ((await c.req.json().catch(() => null)) as { token?: unknown } | null)?.token;
    else if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') token = (await c.req.parseBody()).token;
    if (typeof token !== 'string' || token === '') {
      return problem(c, 400, 'Invalid confirmation', { type: problemType('invalid-token'), detail: 'Send the token from the confirmation link.', invalidParams: [{ name: 'token', reason: 'is required' }] });
    }
    const result = await confirmByToken(c.env, new URL(c.req.url).origin, token, clientIp(c));
    if (result.kind === 'confirmed') return c.json({ status: 'confirmed', topics: result.request.topics, lang: result.request.lang });
    const detail = {
      used: 'This link was already used; the subscription is active.',
      expired: 'This link has expired. Please sign up again.',
      invalid: 'This link is not valid. Please sign up again.',
      valid: '',
    }[result.kind];
    return problem(c, result.kind === 'invalid' ? 404 : 410, 'Confirmation link not usable', { type: problemType(`token-${result.kind}`), detail });
  })
  .all('/confirm', methodNotAllowed('GET', 'POST'))
  .get('/unsubscribe', async (c) => {
    const subscriberId = c.req.query('s') ?? '';
    const token = c.req.query('t') ?? '';
    const lang = (subscriberId.length <= 100 ? await subscriberLang(c.env.DB, subscriberId).catch(() => null) : null) ?? 'de';
    return c.redirect(paths.unsubscribe(lang, subscriberId, token), 303);
  })
  .post('/unsubscribe', async (c) => {
    // No same-origin check: the RFC 8058 POST comes from the mail provider, not from our pages;
    // the HMAC token in the URL is what authorises it.
    let outcome;
    try {
      outcome = await unsubscribeWithToken(c.env, c.req.query('s') ?? '', c.req.query('t') ?? '', 'one-click');
    } catch (error) {
      if (error instanceof SubscriptionSecretMissingError) return problem(c, 503, 'Unsubscribe is not configured', { type: problemType('not-configured'), detail: 'SUBSCRIPTION_SECRET is not set.' });
      console.error('unsubscribe failed', error);
      return unavailable(c);
    }
    if (outcome === 'unknown') return problem(c, 404, 'Unknown unsubscribe link', { type: problemType('invalid-token'), detail: 'This unsubscribe link is not valid. Use the link from a current notice.' });
    return c.text(outcome === 'unsubscribed' ? 'Unsubscribed.\n' : 'Already unsubscribed.\n', 200, { 'cache-control': 'no-store' });
  })
  .all('/unsubscribe', methodNotAllowed('GET', 'POST'));




function unavailable(c: Context): Response {
  return problem(c, 503, 'Not stored, please retry', { type: problemType('storage-unavailable'), detail: 'The request could not be processed and nothing was stored. Please try again.' }, { 'retry-after': '1' });
}
