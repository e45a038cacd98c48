import type { Context } from 'hono';
import { escapeHtml as escape } from '../../src/lib/escape-html.ts';
import { withStyleHash } from '../pipeline/security-headers.ts';
import { CONFIRM_TTL_HOURS } from './registration.ts';

/** Minimal, accessible pages the Worker renders for the owner's confirmation link. */
const CSS = 'body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{word-break:break-all;background:#f2f2f2;padding:.1rem .3rem}button{font:inherit;padding:.5rem 1rem}';
let csp: Promise<string> | undefined;

function page(lang: 'de' | 'en', title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title>
<style>${CSS}</style>
</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

/**
 * Answers with one of these pages: never cached, its inline style allowed by hash in the CSP.
 * Referrer `same-origin`, not `no-referrer`: the token in the URL must not leak to other
 * sites, but under `no-referrer` Chromium sends `Origin: null` with the confirm form and the
 * CSRF check (rightly) refuses it.
 */
export async function webhookPage(c: Context, html: string, status: 200 | 400 | 404 = 200): Promise<Response> {
  csp ??= withStyleHash(CSS);
  return c.html(html, status, { 'cache-control': 'no-store', 'referrer-policy': 'same-origin', 'content-security-policy': await csp });
}

/** GET: shows what will be confirmed and a button; link scanners only GET, so nothing happens yet. */
export function confirmPage(lang: 'de' | 'en', endpoint: { url: string; topics: readonly string[] }, token: string): string {
  const en = lang === 'en';
  return page(
    lang,
    en ? 'Confirm webhook endpoint' : 'Webhook-Endpunkt bestätigen',
    `<p>${en ? 'Deliveries will go to' : 'Zustellungen gehen an'} <code>${escape(endpoint.url)}</code> (${escape(endpoint.topics.join(', '))}).</p>
<form method="post" action="/api/webhooks/confirm"><input type="hidden" name="token" value="${escape(token)}"><button type="submit">${en ? 'Confirm and show secret' : 'Bestätigen und Geheimnis anzeigen'}</button></form>`,
  );
}

/** POST: the endpoint is active; the secret is shown this once and never again. */
export function confirmedPage(lang: 'de' | 'en', endpoint: { id: string; url: string }, secret: string): string {
  const en = lang === 'en';
  return page(
    lang,
    en ? 'Webhook endpoint confirmed' : 'Webhook-Endpunkt bestätigt',
    `<p>${en ? 'The endpoint' : 'Der Endpunkt'} <code>${escape(endpoint.url)}</code> (${escape(endpoint.id)}) ${en ? 'is active.' : 'ist aktiv.'}</p>
<p>${en ? 'Signing secret (shown only now; store it in your receiver):' : 'Signatur-Geheimnis (nur jetzt sichtbar; hinterlegen Sie es in Ihrem Empfänger):'}</p>
<p><code id="secret">${escape(secret)}</code></p>
<p>${en ? 'Every delivery carries the headers webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks, HMAC-SHA256). Verify them with any Standard Webhooks library.' : 'Jede Zustellung trägt die Header webhook-id, webhook-timestamp und webhook-signature (Standard Webhooks, HMAC-SHA256). Prüfen Sie sie mit einer Standard-Webhooks-Bibliothek.'}</p>`,
  );
}

/** Unknown, used or expired link: say so plainly, and what to do. */
export function invalidLinkPage(lang: 'de' | 'en'): string {
  const en = lang === 'en';
  return page(
    lang,
    en ? 'Link invalid or expired' : 'Link ungültig oder abgelaufen',
    `<p>${en ? `This confirmation link is unknown, was already used, or has expired (links work once, for ${CONFIRM_TTL_HOURS} hours). Register the endpoint again to get a new link.` : `Dieser Bestätigungslink ist unbekannt, wurde schon benutzt oder ist abgelaufen (Links gelten einmal, ${CONFIRM_TTL_HOURS} Stunden lang). Melden Sie den Endpunkt erneut an, um einen neuen Link zu erhalten.`}</p>`,
  );
}
