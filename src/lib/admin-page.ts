import { env } from 'cloudflare:workers';
import { adminServices, type AdminServices } from './admin-services.ts';
import type { ConsoleActor } from './admin-views.ts';
import { publishedSiteChrome } from './published-site-chrome.ts';
import type { SiteChrome } from './site-chrome.ts';

/** A console page: the frame's facts and the page's own data, or why it could not be loaded. */
export interface ConsolePage<Data> {
  chrome: SiteChrome;
  /** Null only on the sign-in page; every other console page is behind the Worker's guard. */
  actor: ConsoleActor | null;
  /** Null when storage failed (the page says so and answers 503). */
  data: Data | null;
}

/**
 * Loads what a console page shows, in the Worker (functions/admin/page-services.ts). The
 * Worker has let the request in and will write its audit row; a storage failure becomes a page
 * that says the data is unavailable, never an invented empty list.
 */
export async function loadConsolePage<Data>(request: Request, url: URL, load: (services: AdminServices, env: Env, url: URL) => Promise<Data>): Promise<ConsolePage<Data>> {
  const services = adminServices();
  const [chrome, actor] = await Promise.all([publishedSiteChrome(env, url), services.actor(env, request)]);
  try {
    return { chrome, actor, data: await load(services, env, url) };
  } catch (error) {
    console.error('console page failed', error);
    return { chrome, actor, data: null };
  }
}

/** Whether the development sign-in form may be shown for this request. */
export function devSignInOffered(url: URL): boolean {
  return adminServices().devSignInAllowed(env, url);
}
