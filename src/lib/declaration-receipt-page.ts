import { env } from 'cloudflare:workers';
import type { DeclarationRecord } from '../domain/declaration-record.ts';
import type { ManifestChange } from '../domain/manifest.ts';
import type { Receipt } from '../domain/receipt.ts';
import { pageServices } from './page-services.ts';
import { publishedSiteChrome } from './published-site-chrome.ts';
import type { SiteChrome } from './site-chrome.ts';

/** What the declaration receipt page shows: a receipt with its change, or why there is none. */
export type DeclarationReceiptPage =
  | { kind: 'found'; chrome: SiteChrome; receipt: Receipt<DeclarationRecord>; key: string; change: ManifestChange | undefined }
  | { kind: 'not-found'; chrome: SiteChrome }
  | { kind: 'unavailable'; chrome: SiteChrome };

/**
 * Loads the receipt named by `?id=…&key=…`, as the acceptance receipt page does (a wrong key is
 * indistinguishable from an unknown id), with the change it concerns from the manifest.
 */
export async function loadDeclarationReceiptPage(url: URL): Promise<DeclarationReceiptPage> {
  const chrome = await publishedSiteChrome(env, url);
  const id = url.searchParams.get('id') ?? '';
  const key = url.searchParams.get('key') ?? '';
  if (id === '' || key === '' || id.length > 100 || key.length > 200) return { kind: 'not-found', chrome };
  let receipt: Receipt<DeclarationRecord> | null;
  try {
    receipt = await pageServices().loadDeclarationReceipt(env, id, key);
  } catch (error) {
    console.error('declaration receipt page: loading the receipt failed', error);
    return { kind: 'unavailable', chrome };
  }
  if (!receipt) return { kind: 'not-found', chrome };
  const manifest = await pageServices().publishedManifest(env, url.href);
  const changeId = receipt.record.changeId;
  return { kind: 'found', chrome, receipt, key, change: manifest.changes.find((change) => change.id === changeId) };
}
