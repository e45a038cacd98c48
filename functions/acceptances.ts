import { Hono, type Context } from 'hono';
import { AcceptanceSubmissionSchema, fieldErrors, submissionFingerprint, type FieldError } from '../src/domain/acceptance-record.ts';
import { paths, type Lang } from '../src/lib/paths.ts';
import type { AppEnv } from './app-env.ts';
import { acceptedDocumentUrl, currentTerms } from './acceptances/current-terms.ts';
import { readSubmission } from './acceptances/read-submission.ts';
import { loadReceiptJson } from './acceptances/receipt-store.ts';
import { browserCookie, derivedIdempotencyKey, newBrowserCookie } from './acceptances/browser-cookie.ts';
import { sendReceiptMail } from './acceptances/send-receipt-mail.ts';
import { accountStatus, StatusQuerySchema } from './acceptances/status.ts';
import { IdempotencyConflictError, storeAcceptance } from './acceptances/store.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { limitBody } from './lib/body-limit.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { countHit, rateLimitConfig } from './lib/rate-limit.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { problem } from './problem.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { publishedManifest } from './published-manifest.ts';
import { clientIp } from './lib/client-ip.ts';

/** Largest accepted body: the form's longest fields together stay far below it. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * `/api/acceptances`: click-through acceptance of the AVV in force.
 * - `POST /` (form or JSON) stores the evidence record in the log and issues a signed receipt;
 * - `GET /:recordId/receipt?key=` downloads the receipt;
 * - `GET /status?account=` (admin) tells whether an account accepted the current version.
 */
export const acceptances = new Hono<AppEnv>()
  .post('/', sameOriginOnly, limitBody(MAX_BODY_BYTES), async (c) => {
    const read = await readSubmission(c);
    if (!read.ok) return read.response;
    const { fields } = read;
    const json = read.json || (c.req.header('accept') ?? '').includes('application/json');
    const lang: Lang = fields.lang === 'en' ? 'en' : 'de';

    const limits = await countHit(c.env.DB, rateLimitConfig(c.env), clientIp(c) ?? 'unknown', typeof fields.signerEmail === 'string' ? fields.signerEmail : undefined).catch(() => null);
    if (limits === null) return storageUnavailable(c);
    if (limits.exceeded.length > 0) {
      return problem(
        c,
        429,
        'Too many submissions',
        { type: problemType('rate-limited'), detail: `Too many acceptances from this ${limits.exceeded.join(' and ')}. Try again in ${Math.ceil(limits.retryAfter / 60)} minute(s).` },
        { 'retry-after': String(limits.retryAfter) },
      );
    }

    const parsed = AcceptanceSubmissionSchema.safeParse(fields);
    if (!parsed.success) return invalid(c, json, lang, fieldErrors(parsed.error), fields);
    const submission = parsed.data;

    const manifest = await publishedManifest(c.env, c.req.url);
    const terms = currentTerms(manifest);
    if (!terms) return problem(c, 409, 'No AVV in force', { type: problemType('stale-version'), detail: 'No AVV version is published yet.' });
    const stale = [
      submission.avvVersion !== terms.avv.version && 'avvVersion',
      submission.documentSha256 !== terms.avv.documentSha256 && 'documentSha256',
      submission.wordingVersion !== terms.wording.version && 'wordingVersion',
    ].filter((field): field is string => field !== false);
    if (stale.length > 0) {
      if (!json) return c.redirect(`${paths.avvAccept(lang)}?error=stale-version#accept-error-stale-version`, 303);
      return problem(c, 409, 'A newer version is in force', {
        type: problemType('stale-version'),
        detail: `The page showed a version that is no longer current. Reload the accept page and review version ${terms.avv.version} before accepting.`,
        extensions: { currentVersion: terms.avv.version, currentDocumentSha256: terms.avv.documentSha256, currentWordingVersion: terms.wording.version, staleFields: stale },
      });
    }

    const browser = browserCookie(c);
    let stored;
    try {
      const key = await logKey(c.env, manifest);
      const fingerprint = await submissionFingerprint(submission);
      stored = await storeAcceptance(
        c.env,
        {
          submission,
          fingerprint,
          // Without a client key, only this browser's own repeat finds the first receipt.
          idempotencyKey: submission.idempotencyKey ?? (await derivedIdempotencyKey(browser, fingerprint)),
          wordingSha256: terms.wording.sha256,
          documentUrl: acceptedDocumentUrl(manifest, terms.avv),
          ipAddress: clientIp(c),
          userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
        },
        key,
      );
    } catch (error) {
      if (error instanceof IdempotencyConflictError) {
        return problem(c, 422, 'Idempotency key reused', {
          type: problemType('idempotency-conflict'),
          detail: 'This Idempotency-Key was already used for a different submission. Use a new key for a new acceptance.',
        });
      }
      if (error instanceof NotConfiguredError) {
        return problem(c, 503, 'Acceptance is not configured', { type: problemType('not-configured'), detail: 'The receipt signing key is missing on this deployment.' });
      }
      console.error('acceptance not stored', error);
      return storageUnavailable(c);
    }

    if (!stored.replay) {
      const issued = { recordId: stored.recordId, receiptKey: stored.receiptKey, receiptJson: stored.receiptJson, lang, attempts: 0 };
      c.executionCtx.waitUntil(sendReceiptMail(c.env, manifest, new URL(c.req.url).origin, issued));
    }
    // A browser that came without the cookie gets one now, so its next double-submit is caught.
    if (browser === undefined) c.header('set-cookie', newBrowserCookie(c.req.url), { append: true });
    const receiptUrl = paths.avvAcceptReceipt(lang, stored.recordId, stored.receiptKey);
    if (!json) return c.redirect(receiptUrl, 303);
    return c.body(stored.receiptJson, stored.replay ? 200 : 201, {
      'content-type': 'application/json; charset=utf-8',
      location: receiptUrl,
      'receipt-key': stored.receiptKey,
    });
  })
  .all('/', methodNotAllowed('POST'))
  .get('/status', requireAdmin, async (c) => {
    const parsed = StatusQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      return problem(c, 400, 'Invalid status query', {
        type: problemType('invalid-query'),
        invalidParams: errors.map(({ field, message }) => ({ name: field, reason: message })),
        extensions: { errors },
      });
    }
    const manifest = await publishedManifest(c.env, c.req.url);
    return c.json(await accountStatus(c.env.DB, manifest, parsed.data.account));
  })
  .all('/status', methodNotAllowed('GET'))
  .get('/:recordId/receipt', async (c) => {
    const recordId = c.req.param('recordId');
    const json = await loadReceiptJson(c.env, recordId, c.req.query('key') ?? '');
    if (json === null) return problem(c, 404, 'No such receipt', { detail: 'No receipt for this id and key. Use the link from your receipt page.' });
    return c.body(json, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="avv-acceptance-${recordId}.json"`,
      'cache-control': 'private, no-store',
    });
  })
  .all('/:recordId/receipt', methodNotAllowed('GET'));


function storageUnavailable(c: Context): Response {
  return problem(
    c,
    503,
    'Not stored, please retry',
    { type: problemType('storage-unavailable'), detail: 'The acceptance could not be stored and nothing was recorded. Please submit again.' },
    { 'retry-after': '1' },
  );
}

/** 400 naming every field; a form post gets the accept page back, filled in, errors at the fields. */
function invalid(c: Context<AppEnv>, json: boolean, lang: Lang, errors: FieldError[], values: Record<string, unknown>): Response | Promise<Response> {
  if (!json) {
    return refilledFormPage(c.env.ASSETS, c.req.url, { pagePath: paths.avvAccept(lang), values, invalid: errors.map((error) => error.field), summaryId: 'accept-error-invalid' });
  }
  return problem(c, 400, 'Invalid acceptance', {
    type: problemType('invalid-submission'),
    detail: `Please correct: ${errors.map((error) => `${error.field} (${error.message})`).join('; ')}.`,
    invalidParams: errors.map(({ field, message }) => ({ name: field, reason: message })),
    extensions: { errors },
  });
}
