import { paths } from './paths.ts';
import { SiteChromeSchema, type SiteChrome } from './site-chrome.ts';

let cached: Promise<SiteChrome> | undefined;

/**
 * The build's `/site-chrome.json`, read from the deployment's static assets by pages the
 * Worker renders per request. Assets never change within a deployment, so one read per
 * isolate is enough; a failed read is not cached.
 */
export function publishedSiteChrome(env: Env, requestUrl: URL): Promise<SiteChrome> {
  cached ??= (async () => {
    const response = await env.ASSETS.fetch(new URL(paths.siteChrome(), requestUrl));
    if (!response.ok) throw new Error(`${paths.siteChrome()} is missing from the deployment (HTTP ${response.status})`);
    return SiteChromeSchema.parse(await response.json());
  })().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
