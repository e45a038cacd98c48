import { env } from 'cloudflare:workers';
import type { WordingText } from '../domain/acceptance-wording.ts';
import type { Receipt } from '../domain/receipt.ts';
import { pageServices } from './page-services.ts';
import { publishedSiteChrome } from './published-site-chrome.ts';
import type { SiteChrome } from './site-chrome.ts';

/** What the receipt page shows: a receipt, or why there is none. */
export type ReceiptPage =
  | {
      kind: 'found';
      chrome: SiteChrome;
      receipt: Receipt;
      /** The capability from the URL, needed again for the JSON download link. */
      key: string;
      /** The confirmed wording's text when it is the one published now (else only its hash). */
      wordingText: WordingText | undefined;
    }
  | { kind: 'not-found'; chrome: SiteChrome }
  | { kind: 'unavailable'; chrome: SiteChrome };

/** HTTP status of each outcome. */
export const RECEIPT_PAGE_STATUS: Record<ReceiptPage['kind'], number> = { found: 200, 'not-found': 404, unavailable: 503 };

/**
 * Loads the receipt named by `?id=…&key=…` for the page rendered in the Worker. A missing or
 * wrong key is indistinguishable from an unknown id (both 404), so ids cannot be probed.
 */
export async function loadReceiptPage(url: URL): Promise<ReceiptPage> {
  const chrome = await publishedSiteChrome(env, url);
  const id = url.searchParams.get('id') ?? '';
  const key = url.searchParams.get('key') ?? '';
  if (id === '' || key === '' || id.length > 100 || key.length > 200) return { kind: 'not-found', chrome };
  let receipt: Receipt | null;
  try {
    receipt = await pageServices().loadReceipt(env, id, key);
  } catch (error) {
    console.error('receipt page: loading the receipt failed', error);
    return { kind: 'unavailable', chrome };
  }
  if (!receipt) return { kind: 'not-found', chrome };
  const manifest = await pageServices().publishedManifest(env, url.href);
  const wording = manifest.acceptanceWording;
  const current = wording.version === receipt.record.wordingVersion && wording.sha256 === receipt.record.wordingSha256;
  return { kind: 'found', chrome, receipt, key, wordingText: current ? wording.text : undefined };
}

/** Headers of every receipt page answer: personal data, a secret in the URL. */
export const RECEIPT_PAGE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
};
