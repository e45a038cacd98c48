import { Hono } from 'hono';
import { z } from 'zod';
import { AcceptanceSubmissionSchema, submissionFingerprint } from '../src/domain/acceptance-record.ts';
import { paths, type Lang } from '../src/lib/paths.ts';
import type { AppEnv } from './app-env.ts';
import { acceptedDocumentUrl, currentTerms } from './acceptances/current-terms.ts';
import { loadReceiptJson } from './acceptances/receipt-store.ts';
import { browserCookie, derivedIdempotencyKey, newBrowserCookie } from './acceptances/browser-cookie.ts';
import { sendReceiptMail } from './acceptances/send-receipt-mail.ts';
import { accountStatus, StatusQuerySchema } from './acceptances/status.ts';
import { IdempotencyConflictError, LogBehindWitnessError, storeAcceptance } from './acceptances/store.ts';
import { receiptKeyId } from '../src/domain/receipt.ts';
import { signingKeyRefusal } from '../src/domain/signing-key-validity.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { clientIp } from './lib/client-ip.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from './pipeline/attempt-limit.ts';
import { readBody, wantsJson } from './pipeline/body.ts';
import { acceptanceRateLimits, rateLimit } from './pipeline/rate-limit.ts';
import { storageUnavailable } from './pipeline/storage.ts';
import { type FormPage, type Validated, validBody, validHeaders, validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

/** Largest accepted body: the form's longest fields together stay far below it. */
export const MAX_BODY_BYTES = 16 * 1024;

const langOf = (raw: unknown): Lang => (typeof raw === 'object' && raw !== null && 'lang' in raw && raw.lang === 'en' ? 'en' : 'de');

/** A form post with invalid fields gets the accept page back, filled in, errors at the fields. */
const backToForm: FormPage = (c, invalid, values) =>
  refilledFormPage(c.env.ASSETS, c.req.url, { pagePath: paths.avvAccept(langOf(values)), values, invalid, summaryId: 'accept-error-invalid' });

/** The Idempotency-Key header wins over the form field of the same name. */
const IdempotencyHeaderSchema = z.object({ 'idempotency-key': AcceptanceSubmissionSchema.shape.idempotencyKey });

/** A receipt is named by its record id (a UUID) and opened by its key. */
const ReceiptQuerySchema = z.object({ key: z.string().min(1).max(100).regex(/^[A-Za-z0-9._~-]+$/) });
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/api/acceptances`: click-through acceptance of the AVV in force.
 * - `POST /` (form or JSON) stores the evidence record in the log and issues a signed receipt;
 * - `GET /:recordId/receipt?key=` downloads the receipt;
 * - `GET /status?account=` (admin) tells whether an account accepted the current version.
 */
export const acceptances = new Hono<AppEnv>()
  .post(
    '/',
    sameOriginOnly,
    readBody({ maxBytes: MAX_BODY_BYTES, kinds: ['json', 'form'] }),
    validBody(AcceptanceSubmissionSchema, { type: 'invalid-submission', title: 'Invalid acceptance', formPage: backToForm }),
    validHeaders(IdempotencyHeaderSchema),
    rateLimit<Validated<'body', typeof AcceptanceSubmissionSchema>>({ scope: 'accept', limits: acceptanceRateLimits, email: (c) => c.var.body.signerEmail, what: 'acceptances' }),
    async (c) => {
      const submission = { ...c.var.body, idempotencyKey: c.var.headers['idempotency-key'] ?? c.var.body.idempotencyKey };
      const json = wantsJson(c);
      const lang: Lang = submission.lang;

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
        const refusal = signingKeyRefusal(manifest.receiptKeys, await receiptKeyId(key.name, key.publicKeyRaw), new Date(), c.env.ENVIRONMENT === 'development');
        if (refusal) {
          console.error(`acceptance refused: ${refusal}`);
          return problem(c, 503, 'The receipt signing key is not valid now', {
            type: problemType('signing-key-not-valid'),
            detail: `Nothing was stored: ${refusal}. The operator must deploy the key published for today (README, "Signing keys").`,
          });
        }
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
        if (error instanceof LogBehindWitnessError) {
          console.error('acceptance refused', error.message);
          return problem(c, 503, 'The acceptance log is behind its witness', {
            type: problemType('log-behind-witness'),
            detail: `Nothing was stored: ${error.message}. The log is behind its witness, run npm run ledger:verify.`,
          });
        }
        if (error instanceof NotConfiguredError) {
          return problem(c, 503, 'Acceptance is not configured', { type: problemType('not-configured'), detail: 'The receipt signing key is missing on this deployment.' });
        }
        console.error('acceptance not stored', error);
        return storageUnavailable(c);
      }

      if (!stored.replay && stored.receiptKey !== null) {
        const issued = { recordId: stored.recordId, receiptKey: stored.receiptKey, receiptJson: stored.receiptJson, lang, attempts: 0 };
        c.executionCtx.waitUntil(sendReceiptMail(c.env, manifest, new URL(c.req.url).origin, issued));
      }
      // A browser that came without the cookie gets one now, so its next double-submit is caught.
      if (browser === undefined) c.header('set-cookie', newBrowserCookie(c.req.url), { append: true });
      // Null only for a replay of a record from before migration 0013 (its random key is gone):
      // the receipt itself is still answered, and the signer's receipt mail holds the link.
      const receiptUrl = stored.receiptKey === null ? null : paths.avvAcceptReceipt(lang, stored.recordId, stored.receiptKey);
      if (!json) return c.redirect(receiptUrl ?? paths.verifyReceipt(lang), 303);
      return c.body(stored.receiptJson, stored.replay ? 200 : 201, {
        'content-type': 'application/json; charset=utf-8',
        ...(receiptUrl !== null && stored.receiptKey !== null && { location: receiptUrl, 'receipt-key': stored.receiptKey }),
      });
    },
  )
  .all('/', methodNotAllowed('POST'))
  .get('/status', requireAdmin, validQuery(StatusQuerySchema, { type: 'invalid-query', title: 'Invalid status query' }), async (c) => {
    const manifest = await publishedManifest(c.env, c.req.url);
    return c.json(await accountStatus(c.env.DB, manifest, c.var.query.account));
  })
  .all('/status', methodNotAllowed('GET'))
  .get(
    '/:recordId/receipt',
    validQuery(ReceiptQuerySchema, { type: 'invalid-query', title: 'Invalid receipt link' }),
    limitFailedAttempts({ scope: 'receipt', ...SECRET_ATTEMPTS, wellFormed: (c) => RECORD_ID.test(c.req.param('recordId') ?? '') }),
    async (c) => {
    const recordId = c.req.param('recordId');
    const json = await loadReceiptJson(c.env, recordId, c.var.query.key);
    if (json === null) return problem(c, 404, 'No such receipt', { detail: 'No receipt for this id and key. Use the link from your receipt page.' });
    return c.body(json, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="avv-acceptance-${recordId}.json"`,
      'cache-control': 'private, no-store',
    });
    },
  )
  .all('/:recordId/receipt', methodNotAllowed('GET'));

