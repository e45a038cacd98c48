import { Hono } from 'hono';
import { z } from 'zod';
import type { LogKey } from '../src/domain/acceptance-log.ts';
import { AcceptanceSubmissionSchema, submissionFingerprint } from '../src/domain/acceptance-record.ts';
import { paths, type Lang } from '../src/lib/paths.ts';
import type { AppEnv } from './app-env.ts';
import { acceptedDocumentUrl, currentTerms } from './acceptances/current-terms.ts';
import { receiptDownload } from './acceptances/receipt-download.ts';
import { browserCookie, derivedIdempotencyKey, newBrowserCookie } from './acceptances/browser-cookie.ts';
import { sendReceiptMail } from './acceptances/send-receipt-mail.ts';
import { accountStatus, StatusQuerySchema } from './acceptances/status.ts';
import { appendOrRefuse } from './acceptances/append-answer.ts';
import { storeAcceptance } from './acceptances/store.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { clientIp } from './lib/client-ip.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { readBody, wantsJson } from './pipeline/body.ts';
import { acceptanceRateLimits, rateLimit } from './pipeline/rate-limit.ts';
import { addSpans, serverTiming, timed, timingOn } from './pipeline/server-timing.ts';
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

/**
 * `/api/acceptances`: click-through acceptance of the AVV in force.
 * - `POST /` (form or JSON) stores the evidence record in the log and issues a signed receipt;
 * - `GET /:recordId/receipt?key=` downloads the receipt;
 * - `GET /status?account=` (admin) tells whether an account accepted the current version.
 */
export const acceptances = new Hono<AppEnv>()
  .post(
    '/',
    serverTiming,
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
      const fingerprint = await submissionFingerprint(submission);
      // Without a client key, only this browser's own repeat finds the first receipt.
      const idempotencyKey = submission.idempotencyKey ?? (await derivedIdempotencyKey(browser, fingerprint));
      const append = (key: LogKey) =>
        storeAcceptance(
          c.env,
          {
            submission,
            fingerprint,
            idempotencyKey,
            wordingSha256: terms.wording.sha256,
            documentUrl: acceptedDocumentUrl(manifest, terms.avv),
            ipAddress: clientIp(c),
            userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
          },
          key,
          { timing: timingOn(c) },
        );
      const stored = await timed(c, 'sequencer', () => appendOrRefuse(c, manifest, 'acceptance', append));
      if (stored instanceof Response) return stored;
      if (stored.timing) addSpans(c, stored.timing);

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
  .route('/', receiptDownload('acceptance'));

