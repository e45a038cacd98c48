import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { berlinDateOf } from '../src/domain/calendar-date.ts';
import { checkDeclaration, type DeclarationCheck } from '../src/domain/declaration-check.ts';
import { declarationFingerprint, DeclarationSubmissionSchema, type DeclarationSubmission } from '../src/domain/declaration-record.ts';
import type { ManifestChange } from '../src/domain/manifest.ts';
import { noticeEventId } from '../src/domain/notice-events.ts';
import { paths, type Lang } from '../src/lib/paths.ts';
import { declarationRefusalText } from '../src/i18n/declaration-text.ts';
import type { AppEnv } from './app-env.ts';
import { browserCookie, derivedIdempotencyKey, newBrowserCookie } from './acceptances/browser-cookie.ts';
import { receiptDownload } from './acceptances/receipt-download.ts';
import { appendOrRefuse } from './acceptances/append-answer.ts';
import { storeDeclaration } from './acceptances/store.ts';
import { clientIp } from './lib/client-ip.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { refilledFormPage } from './lib/refill-form.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { sendDeclarationMails } from './objections/mails.ts';
import { earliestNoticeReceipt, withdrawableDeclarations } from './objections/store.ts';
import { readBody, wantsJson } from './pipeline/body.ts';
import { acceptanceRateLimits, rateLimit } from './pipeline/rate-limit.ts';
import { type FormPage, type Validated, validBody, validHeaders } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

/** Largest accepted body: the form's fields with the longest reason stay far below it. */
const MAX_BODY_BYTES = 32 * 1024;

const langOf = (raw: unknown): Lang => (typeof raw === 'object' && raw !== null && 'lang' in raw && raw.lang === 'en' ? 'en' : 'de');
const changeIdOf = (raw: unknown): string | undefined => {
  const id = typeof raw === 'object' && raw !== null && 'changeId' in raw ? raw.changeId : undefined;
  return typeof id === 'string' && /^[a-z0-9][a-z0-9-]{0,199}$/.test(id) ? id : undefined;
};

/** The change page holds the forms; its error summary and fields are what a refused post gets back. */
const SUMMARY_ID = 'declare-error-invalid';

/** A form post with invalid fields gets its change page back, filled in, errors at the fields. */
const backToForm: FormPage = (c, invalid, values) => refillChangePage(c, invalid, values);

async function refillChangePage(c: Context, invalid: string[], values: Record<string, unknown>): Promise<Response> {
  const changeId = changeIdOf(values);
  // Only a published change has a page to go back to; anything else is no form of ours.
  const manifest = changeId === undefined ? undefined : await publishedManifest(c.env, c.req.url);
  if (changeId === undefined || !manifest?.changes.some((change) => change.id === changeId)) {
    return problem(c, 404, 'No such change', { type: problemType('unknown-change'), detail: 'The form names no published change.' });
  }
  return refilledFormPage(c.env.ASSETS, c.req.url, { pagePath: paths.change(langOf(values), changeId), values, invalid, summaryId: SUMMARY_ID });
}

const IdempotencyHeaderSchema = z.object({ 'idempotency-key': DeclarationSubmissionSchema.shape.idempotencyKey });

type Refusal = Exclude<DeclarationCheck, { outcome: 'accepted' | 'reason-required' }> | { outcome: 'nothing-to-withdraw' };

/**
 * Answers a declaration that cannot be recorded: 409 when too late for this customer (with the
 * deadline that applied and what it was counted from), 422 when the kind does not fit. A form
 * post gets its change page back with the reason in the error summary, as typed.
 */
function refuse(c: Context, submission: DeclarationSubmission, change: ManifestChange, refusal: Refusal): Response | Promise<Response> {
  const lang = submission.lang;
  const text = declarationRefusalText(refusal, lang);
  const status = refusal.outcome === 'late' ? 409 : 422;
  if (!wantsJson(c)) {
    return refilledFormPage(c.env.ASSETS, c.req.url, {
      pagePath: paths.change(lang, change.id),
      values: { ...submission },
      invalid: [],
      summaryId: 'declare-error-refused',
      texts: { 'declare-refused-reason': text },
      status,
    });
  }
  const extensions: Record<string, unknown> = { changeId: change.id, kind: submission.kind };
  if ('allowedKinds' in refusal) extensions.allowedKinds = refusal.allowedKinds;
  if (refusal.outcome === 'late') {
    Object.assign(extensions, { deadline: refusal.window.deadline, countedFrom: refusal.window.countedFrom, countedFromDay: refusal.window.countedFromDay });
  }
  const titles: Record<Refusal['outcome'], string> = {
    late: 'Declaration period has ended',
    'no-declaration': 'This change calls for no declaration',
    'wrong-kind': 'This kind of declaration does not fit the change',
    'withdrawal-not-allowed': 'The AVV does not allow a withdrawal',
    'nothing-to-withdraw': 'Nothing to withdraw',
  };
  return problem(c, status, titles[refusal.outcome], { type: problemType(refusal.outcome === 'late' ? 'declaration-late' : refusal.outcome), detail: declarationRefusalText(refusal, 'en'), extensions });
}

/**
 * `/api/objections`: declarations on announced subprocessor changes, made on the change page.
 * - `POST /` (form or JSON): an objection, consent, refusal or withdrawal, checked against the
 *   published manifest and this customer's own window, stored in the acceptance log as its own
 *   record type, with a signed receipt (and its mail) and a notice to the vendor's contact;
 * - `GET /:recordId/receipt?key=` downloads the receipt.
 */
export const objections = new Hono<AppEnv>()
  .post(
    '/',
    sameOriginOnly,
    readBody({ maxBytes: MAX_BODY_BYTES, kinds: ['json', 'form'] }),
    validBody(DeclarationSubmissionSchema, { type: 'invalid-submission', title: 'Invalid declaration', formPage: backToForm }),
    validHeaders(IdempotencyHeaderSchema),
    rateLimit<Validated<'body', typeof DeclarationSubmissionSchema>>({ scope: 'declare', limits: acceptanceRateLimits, email: (c) => c.var.body.signerEmail, what: 'declarations' }),
    async (c) => {
      const submission = { ...c.var.body, idempotencyKey: c.var.headers['idempotency-key'] ?? c.var.body.idempotencyKey };
      const manifest = await publishedManifest(c.env, c.req.url);
      const change = manifest.changes.find((candidate) => candidate.id === submission.changeId);
      if (!change) return problem(c, 404, 'No such change', { type: problemType('unknown-change'), detail: `No published change has the id "${submission.changeId}".` });

      const eventId = noticeEventId(manifest.siteUrl, change.announcedDate, 'change', change.id);
      const receivedOn = await earliestNoticeReceipt(c.env.DB, eventId, submission.accountId, submission.signerEmail);
      const check = checkDeclaration(change, { kind: submission.kind, reason: submission.reason, receivedOn, today: berlinDateOf(new Date()) });
      if (check.outcome === 'reason-required') {
        // The same answer as a field the schema refused: the schema cannot know the rule.
        if (!wantsJson(c)) return refillChangePage(c, ['reason'], { ...submission });
        const reason = check.reasonsWording ? `required: the AVV asks for reasons („${check.reasonsWording}“)` : 'required: the AVV asks for reasons';
        return problem(c, 400, 'Invalid declaration', {
          type: problemType('invalid-submission'),
          detail: `Please correct: reason (${reason}).`,
          invalidParams: [{ name: 'reason', reason }],
          extensions: { errors: [{ field: 'reason', message: reason }] },
        });
      }
      if (check.outcome !== 'accepted') return refuse(c, submission, change, check);
      let withdraws: string | null = null;
      if (submission.kind === 'withdrawal') {
        const [latest] = await withdrawableDeclarations(c.env.DB, submission.accountId, change.id);
        if (!latest) return refuse(c, submission, change, { outcome: 'nothing-to-withdraw' });
        withdraws = latest.recordId;
      }

      const browser = browserCookie(c);
      const fingerprint = await declarationFingerprint(submission);
      const idempotencyKey = submission.idempotencyKey ?? (await derivedIdempotencyKey(browser, fingerprint));
      const input = { submission, fingerprint, idempotencyKey, checked: check.terms, withdraws, ipAddress: clientIp(c), userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null };
      const stored = await appendOrRefuse(c, manifest, 'declaration', (key) => storeDeclaration(c.env, input, key));
      if (stored instanceof Response) return stored;

      if (!stored.replay && stored.receiptKey !== null) {
        c.executionCtx.waitUntil(sendDeclarationMails(c.env, manifest, change, new URL(c.req.url).origin, { recordId: stored.recordId, receiptKey: stored.receiptKey, receiptJson: stored.receiptJson, lang: submission.lang }));
      }
      if (browser === undefined) c.header('set-cookie', newBrowserCookie(c.req.url), { append: true });
      // The capability is always derivable for declarations (all are newer than migration 0013);
      // the check only keeps the type honest.
      const receiptUrl = stored.receiptKey === null ? null : paths.declarationReceipt(submission.lang, stored.recordId, stored.receiptKey);
      if (!wantsJson(c)) return c.redirect(receiptUrl ?? paths.verifyReceipt(submission.lang), 303);
      return c.body(stored.receiptJson, stored.replay ? 200 : 201, {
        'content-type': 'application/json; charset=utf-8',
        ...(receiptUrl !== null && stored.receiptKey !== null && { location: receiptUrl, 'receipt-key': stored.receiptKey }),
      });
    },
  )
  .all('/', methodNotAllowed('POST'))
  .route('/', receiptDownload('declaration'));
