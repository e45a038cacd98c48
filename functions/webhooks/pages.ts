import type { Context } from 'hono';
import { escapeHtml as escape } from '../../src/lib/escape-html.ts';
import { withStyleHash } from '../pipeline/security-headers.ts';
import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
import { t } from '../../src/i18n/ui.ts';
import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { Lang } from '../../src/schemas/lang.ts';

/** Minimal, accessible pages the Worker renders for the owner's confirmation link; text from src/i18n. */
const CSS = 'body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{word-break:break-all;background:#f2f2f2;padding:.1rem .3rem}button{font:inherit;padding:.5rem 1rem}';
let csp: Promise<string> | undefined;

function page(lang: Lang, title: string, body: string): string {
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
export function confirmPage(lang: Lang, endpoint: { url: string; topics: readonly NoticeTopic[] }, token: string): string {
  return page(
    lang,
    t(lang, 'webhookConfirmTitle'),
    `<p>${escape(t(lang, 'webhookConfirmLead'))}</p>
<p><code>${escape(endpoint.url)}</code></p>
<p>${escape(t(lang, 'webhookTopics'))}: ${escape(endpoint.topics.map((topic) => topicLabel(lang, topic)).join(', '))}</p>
<form method="post" action="/api/webhooks/confirm"><input type="hidden" name="token" value="${escape(token)}"><button type="submit">${escape(t(lang, 'webhookConfirmButton'))}</button></form>`,
  );
}

/** POST: the endpoint is active; the secret is shown this once and never again. */
export function confirmedPage(lang: Lang, endpoint: { id: string; url: string }, secret: string): string {
  return page(
    lang,
    t(lang, 'webhookConfirmedTitle'),
    `<p>${escape(t(lang, 'webhookConfirmedLead'))}</p>
<p><code>${escape(endpoint.url)}</code> (${escape(endpoint.id)})</p>
<p>${escape(t(lang, 'webhookSecretLabel'))}</p>
<p><code id="secret">${escape(secret)}</code></p>
<p>${escape(t(lang, 'webhookSignatureHelp'))}</p>`,
  );
}

/** Unknown, used or expired link: say so plainly, and what to do. */
export function invalidLinkPage(lang: Lang): string {
  return page(lang, t(lang, 'webhookInvalidTitle'), `<p>${escape(t(lang, 'webhookInvalidText'))}</p>`);
}
