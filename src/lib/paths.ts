/** The site's UI languages; German is the default and has no path prefix. */
import type { Lang } from '../schemas/lang.ts';

export { LANGS, type Lang } from '../schemas/lang.ts';

const prefix = (lang: Lang): string => (lang === 'de' ? '' : '/en');

/**
 * Formats of the change feed. The file extension is what makes Cloudflare's static assets
 * serve the right Content-Type (see public/_headers), so it is part of the URL on purpose.
 */
export type FeedFormat = 'atom' | 'rss' | 'json';
export const FEED_FORMATS: readonly FeedFormat[] = ['atom', 'rss', 'json'];

/** Fragment of the "how to object" section on a change page; feeds and notices link to it. */
export const OBJECTION_ANCHOR = 'how-to-object';

/**
 * Every internal URL, built in one place so pages, the sitemap, feeds and the manifest agree.
 * Paths end with a slash because pages are built as directories.
 */
export const paths = {
  home: (lang: Lang) => `${prefix(lang)}/`,
  avv: (lang: Lang) => `${prefix(lang)}/avv/`,
  avvVersions: (lang: Lang) => `${prefix(lang)}/avv/versions/`,
  avvVersion: (lang: Lang, version: string) => `${prefix(lang)}/avv/${version}/`,
  avvCompare: (lang: Lang, from: string, to: string) => `${prefix(lang)}/avv/compare/${from}/${to}/`,
  avvDocument: (version: string) => `/avv/${version}/document.json`,
  /** One archived document state, content-addressed: its bytes hash to `sha256` (never removed). */
  archivedDocument: (sha256: string) => `/avv/documents/${sha256}.json`,
  /** The human-readable page of an archived document state. */
  archivedDocumentPage: (lang: Lang, sha256: string) => `${prefix(lang)}/avv/documents/${sha256}/`,
  /** The contract with its annexes as a PDF, per document state (named by its SHA-256). */
  avvDocumentPdf: (sha256: string) => `/avv/documents/${sha256}.pdf`,
  avvAccept: (lang: Lang) => `${prefix(lang)}/avv/accept/`,
  /** The receipt page of one acceptance; `key` is the capability that makes it readable. */
  avvAcceptReceipt: (lang: Lang, id: string, key: string) =>
    `${prefix(lang)}/avv/accept/receipt/?id=${encodeURIComponent(id)}&key=${encodeURIComponent(key)}`,
  verifyReceipt: (lang: Lang) => `${prefix(lang)}/verify/`,
  toms: (lang: Lang) => `${prefix(lang)}/toms/`,
  tomsVersion: (lang: Lang, version: string) => `${prefix(lang)}/toms/${version}/`,
  subprocessors: (lang: Lang) => `${prefix(lang)}/subprocessors/`,
  subprocessor: (lang: Lang, slug: string) => `${prefix(lang)}/subprocessors/${slug}/`,
  matrix: (lang: Lang) => `${prefix(lang)}/subprocessors/matrix/`,
  changes: (lang: Lang) => `${prefix(lang)}/changes/`,
  change: (lang: Lang, id: string) => `${prefix(lang)}/changes/${id}/`,
  changeObjection: (lang: Lang, id: string) => `${prefix(lang)}/changes/${id}/#${OBJECTION_ANCHOR}`,
  /** Subprocessor changes, new AVV versions and TOMs updates as Atom, RSS 2.0 or JSON Feed 1.1. */
  feed: (lang: Lang, format: FeedFormat) => `${prefix(lang)}/feeds/changes.${format}`,
  /** Effective dates and objection deadlines as an iCalendar (RFC 5545) file. */
  calendar: (lang: Lang) => `${prefix(lang)}/feeds/calendar.ics`,
  /** Full-text search (Pagefind) with a site map for browsers without JavaScript. */
  search: (lang: Lang) => `${prefix(lang)}/search/`,
  /** The static search index and its loader, written after the build (src/integrations/pagefind.ts). */
  pagefindLoader: () => '/pagefind/pagefind.js',
  /** Impressum (§ 5 DDG) and privacy notice (Art. 13 GDPR), linked from every footer. */
  imprint: (lang: Lang) => `${prefix(lang)}/impressum/`,
  privacy: (lang: Lang) => `${prefix(lang)}/datenschutz/`,
  /** One processing activity in the privacy notice, e.g. the retention of acceptances. */
  privacyProcessing: (lang: Lang, id: string) => `${prefix(lang)}/datenschutz/#${id}`,
  socialCard: (key: string) => `/og/${key}.png`,
  manifest: () => '/manifest.json',
  /** Vendor details for pages the Worker renders per request (src/lib/site-chrome.ts). */
  siteChrome: () => '/site-chrome.json',
  /** Where the accept form posts (form or JSON). */
  acceptancesApi: () => '/api/acceptances',
  /** The signed receipt JSON of one acceptance, as a download. */
  acceptanceReceiptJson: (id: string, key: string) => `/api/acceptances/${encodeURIComponent(id)}/receipt?key=${encodeURIComponent(key)}`,
  /** Where the declaration forms of change pages post (objection, consent, refusal, withdrawal; form or JSON). */
  declarationsApi: () => '/api/objections',
  /** The receipt page of one declaration on a change; `key` is the capability that makes it readable. */
  declarationReceipt: (lang: Lang, id: string, key: string) =>
    `${prefix(lang)}/declarations/receipt/?id=${encodeURIComponent(id)}&key=${encodeURIComponent(key)}`,
  /** The signed receipt JSON of one declaration, as a download. */
  declarationReceiptJson: (id: string, key: string) => `/api/objections/${encodeURIComponent(id)}/receipt?key=${encodeURIComponent(key)}`,
  /** Ed25519 public key that signs receipts and checkpoints (SPKI PEM, for openssl). */
  receiptKeyPem: () => '/.well-known/trust-center/receipt-key.pem',
  /** Every key that signs or signed receipts, with key id and validity period (old ones stay). */
  receiptKeys: () => '/.well-known/trust-center/receipt-keys.json',
  /** The same key as a JWK, for WebCrypto. */
  receiptKeyJwk: () => '/api/ledger/public-key',
  /** Latest signed checkpoint of the acceptance log. */
  ledgerCheckpoint: () => '/api/ledger/checkpoint',
  /** The subscribe form (works without JS) and the page it leads to after sending. */
  subscribe: (lang: Lang) => `${prefix(lang)}/subscribe/`,
  subscribeSent: (lang: Lang) => `${prefix(lang)}/subscribe/sent/`,
  /** Confirmation page of a sign-up, linked from the confirmation mail (rendered per request). */
  subscribeConfirm: (lang: Lang, token: string) => `${prefix(lang)}/subscribe/confirm/?token=${encodeURIComponent(token)}`,
  /** The page asking "unsubscribe?" (rendered per request). */
  unsubscribe: (lang: Lang, subscriberId: string, token: string) =>
    `${prefix(lang)}/subscribe/unsubscribe/?s=${encodeURIComponent(subscriberId)}&t=${encodeURIComponent(token)}`,
  /** Where the subscribe form posts (form or JSON). */
  subscriptionsApi: () => '/api/subscriptions',
  /** List-Unsubscribe target: POST unsubscribes at once (RFC 8058), GET leads to the page. */
  unsubscribeApi: (subscriberId: string, token: string) => `/api/subscriptions/unsubscribe?s=${encodeURIComponent(subscriberId)}&t=${encodeURIComponent(token)}`,
  /** The privacy team's console (rendered per request, behind Cloudflare Access; never in the sitemap). */
  admin: (lang: Lang) => `${prefix(lang)}/admin/`,
  adminSignIn: (lang: Lang) => `${prefix(lang)}/admin/sign-in/`,
  adminAcceptances: (lang: Lang) => `${prefix(lang)}/admin/acceptances/`,
  adminAcceptance: (lang: Lang, recordId: string) => `${prefix(lang)}/admin/acceptances/record/?id=${encodeURIComponent(recordId)}`,
  adminInvitations: (lang: Lang) => `${prefix(lang)}/admin/invitations/`,
  adminChanges: (lang: Lang) => `${prefix(lang)}/admin/changes/`,
  adminChange: (lang: Lang, changeId: string) => `${prefix(lang)}/admin/changes/?change=${encodeURIComponent(changeId)}`,
  adminSubscribers: (lang: Lang) => `${prefix(lang)}/admin/subscribers/`,
  adminLedger: (lang: Lang) => `${prefix(lang)}/admin/ledger/`,
  adminAudit: (lang: Lang) => `${prefix(lang)}/admin/audit/`,
  /** Console actions (form posts, 303 back to the page) and exports, under /api/admin. */
  adminSignInApi: () => '/api/admin/sign-in',
  adminSignOutApi: () => '/api/admin/sign-out',
  adminInvitationsApi: () => '/api/admin/invitations',
  adminVerifyLedgerApi: () => '/api/admin/ledger/verify',
  adminExport: (list: string, format: 'csv' | 'json', query = '') => `/api/admin/exports/${list}.${format}${query}`,
} as const;

/**
 * The file name of a downloaded or mailed receipt, the same wherever a receipt is saved (the
 * receipt pages' download links, the API's Content-Disposition, the receipt mails, the README):
 * `avv-receipt-<record id>.json`, `declaration-receipt-<record id>.json`.
 */
export function receiptFileName(kind: 'acceptance' | 'declaration', recordId: string): string {
  return `${kind === 'acceptance' ? 'avv' : 'declaration'}-receipt-${recordId}.json`;
}

/** The same page in the other language: swap the `/en` prefix. */
export function alternatePath(path: string, to: Lang): string {
  const bare = path.startsWith('/en/') ? path.slice(3) : path === '/en' ? '/' : path;
  return to === 'de' ? bare : `/en${bare}`;
}

/**
 * The language of any path on the site by its prefix: what the 404 page uses, because it
 * answers every URL that matched no route (`/en/…` in English, everything else in German).
 */
export function langOfPath(path: string): Lang {
  return path === '/en' || path.startsWith('/en/') ? 'en' : 'de';
}
