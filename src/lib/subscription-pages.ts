import { env } from 'cloudflare:workers';
import type { NoticeTopic } from '../domain/notice-topics.ts';
import { pageServices } from './page-services.ts';
import { publishedSiteChrome } from './published-site-chrome.ts';
import type { SiteChrome } from './site-chrome.ts';

/**
 * The confirmation and unsubscribe pages, rendered per request. A GET only shows what would
 * happen and a button; the action runs on the button's POST. Mail scanners and link previews
 * fetch every link in a mail, and a GET that confirmed or unsubscribed would let them do it.
 */
export type ConfirmPage =
  | { kind: 'ask'; email: string; topics: NoticeTopic[]; token: string }
  | { kind: 'confirmed'; email: string; topics: NoticeTopic[] }
  | { kind: 'used' | 'expired' | 'invalid' | 'unavailable' };

export type UnsubscribePage =
  | { kind: 'ask'; email: string; subscriberId: string; token: string }
  | { kind: 'done' | 'invalid' | 'unavailable' };

export const CONFIRM_PAGE_STATUS: Record<ConfirmPage['kind'], number> = { ask: 200, confirmed: 200, used: 200, expired: 410, invalid: 404, unavailable: 503 };
export const UNSUBSCRIBE_PAGE_STATUS: Record<UnsubscribePage['kind'], number> = { ask: 200, done: 200, invalid: 404, unavailable: 503 };

/**
 * Personal data and a capability in the URL: never cached, indexed or sent to other sites as
 * referrer. "same-origin" rather than "no-referrer": the page's own form must carry a real
 * Origin header to pass the same-origin check.
 */
export const SUBSCRIPTION_PAGE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'same-origin',
};

export function siteChrome(url: URL): Promise<SiteChrome> {
  return publishedSiteChrome(env, url);
}

/**
 * The POSTed form's string fields. Only a form body, bounded, gets this far: the Worker checks
 * that before any page renders (functions/page-guards.ts). The body can be read only once.
 */
async function formFields(request: Request): Promise<(name: string) => string> {
  const form = await request.formData();
  return (name) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
}

export async function loadConfirmPage(request: Request, url: URL): Promise<ConfirmPage> {
  try {
    if (request.method === 'POST') {
      const token = (await formFields(request))('token');
      const result = await pageServices().confirm(env, url.origin, token, request.headers.get('cf-connecting-ip'));
      if (result.kind === 'confirmed') return { kind: 'confirmed', email: result.request.email, topics: result.request.topics };
      return { kind: result.kind === 'valid' ? 'used' : result.kind };
    }
    const token = url.searchParams.get('token') ?? '';
    const state = await pageServices().confirmationState(env, token);
    if (state.kind === 'valid') return { kind: 'ask', email: state.request.email, topics: state.request.topics, token };
    return { kind: state.kind };
  } catch (error) {
    console.error('confirmation page failed', error);
    return { kind: 'unavailable' };
  }
}

export async function loadUnsubscribePage(request: Request, url: URL): Promise<UnsubscribePage> {
  try {
    if (request.method === 'POST') {
      const field = await formFields(request);
      const outcome = await pageServices().unsubscribe(env, field('s'), field('t'));
      return { kind: outcome === 'unknown' ? 'invalid' : 'done' };
    }
    const subscriberId = url.searchParams.get('s') ?? '';
    const token = url.searchParams.get('t') ?? '';
    const subscriber = await pageServices().subscriberOfLink(env, subscriberId, token);
    if (subscriber === null) return { kind: 'invalid' };
    if (subscriber.unsubscribed) return { kind: 'done' };
    return { kind: 'ask', email: subscriber.email, subscriberId, token };
  } catch (error) {
    console.error('unsubscribe page failed', error);
    return { kind: 'unavailable' };
  }
}
