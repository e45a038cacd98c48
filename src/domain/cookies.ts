/**
 * Every cookie the Worker can set, with the facts the privacy notice states about it. The
 * Worker sets cookies only by these entries, the privacy page prints their lifetime from here,
 * and the build refuses a notice (content/legal/privacy.yaml `cookies`) that leaves one out or
 * names one that is not here (§ 25 TDDDG, Art. 13 GDPR): a notice that says "no cookies" while
 * the accept form sets one is a false statement about the site itself.
 */
export interface SiteCookie {
  /** Name as sent in Set-Cookie. */
  name: string;
  /** Max-Age in seconds; the page states it as the cookie's lifetime. */
  maxAgeSeconds: number;
  /** Whether scripts can read it; the page says so. */
  httpOnly: boolean;
  /**
   * Set only when ENVIRONMENT is "development" (a local sign-in, say), never by a production
   * deployment: the notice of the published site need not, and must not, describe it.
   */
  developmentOnly?: boolean;
}

/**
 * The replay-privacy cookie of the accept form (functions/acceptances/browser-cookie.ts): a
 * random value keying double submits of one browser. A day: long enough for a form left open,
 * short enough not to be a tracking id.
 */
export const ACCEPT_BROWSER_COOKIE = { name: 'tc_accept_browser', maxAgeSeconds: 86_400, httpOnly: true } as const satisfies SiteCookie;

/** All of them; add a cookie here (and to the notice) before any code sets it. */
export const SITE_COOKIES: readonly SiteCookie[] = [ACCEPT_BROWSER_COOKIE];

/** The cookies a production deployment can set: exactly those the privacy notice must list. */
export function publishedCookies(): SiteCookie[] {
  return SITE_COOKIES.filter((cookie) => !cookie.developmentOnly);
}

/** The lifetime in whole days where it is whole days, else in hours, as the notice states it. */
export function cookieLifetime(cookie: SiteCookie): { amount: number; unit: 'days' | 'hours' } {
  return cookie.maxAgeSeconds % 86_400 === 0 ? { amount: cookie.maxAgeSeconds / 86_400, unit: 'days' } : { amount: Math.ceil(cookie.maxAgeSeconds / 3_600), unit: 'hours' };
}
