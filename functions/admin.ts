import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { paths } from '../src/lib/paths.ts';
import { requireConsole, type AdminEnv } from './admin/console-auth.ts';
import { DEV_SIGN_IN_COOKIE, DEV_SIGN_IN_SECONDS, devSignInAllowed, devSignInCookie } from './admin/dev-sign-in.ts';
import { EXPORT_LISTS, exportBody, exportTable } from './admin/exports.ts';
import { InvitationsUnavailableError, sendInvitations } from './admin/invitations.ts';
import { audit } from './admin/audit.ts';
import { auditStoredLedger } from './ledger/read-ledger.ts';
import { recordVerification } from './ledger/verification-store.ts';
import { logKey } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { sameOriginOnly } from './lib/same-origin.ts';
import { readBody, wantsJson } from './pipeline/body.ts';
import { validBody, validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

/** Console forms send a name or an account key; nothing longer. */
const readConsoleForm = readBody({ maxBytes: 4 * 1024, kinds: ['form', 'json'] });

const LangField = z.enum(['de', 'en']).default('de');

const SignInSchema = z.object({
  /** Who is signing in (shown in the console and written into the audit trail). */
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'at most 100 characters' }),
  /** The console's language to return to. */
  lang: LangField,
});

const InvitationsSchema = z.object({
  /** Only this account (its key as the console lists it); all outdated accounts when absent. */
  account: z.string().trim().max(300, { error: 'at most 300 characters' }).optional().transform((value) => (value === '' ? undefined : value)),
  lang: LangField,
});

const VerifySchema = z.object({ lang: LangField });

const ExportQuerySchema = z.strictObject({
  /** Accounts: substring of company, account id, signer or e-mail. */
  q: z.string().max(200).optional(),
  /** Accounts: current | outdated | all. */
  status: z.enum(['all', 'current', 'outdated']).optional(),
  /** change-recipients, change-declarations: the change's id. */
  change: z.string().max(300).optional(),
});

const EXPORT_FILE = new RegExp(`^(${EXPORT_LISTS.join('|')})\\.(csv|json)$`);

/** Back to the console page after a form post (with any cookie the handler set). */
const back = (c: Context, path: string) => {
  c.header('cache-control', 'no-store');
  return c.redirect(path, 303);
};

/**
 * The development sign-in exists only where devSignInAllowed says so, and only for a form from
 * our own origin (a browser always sends Origin with a form post); refusals are audited.
 */
const devSignInOnly: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (devSignInAllowed(c.env, new URL(c.req.url)) && c.req.header('origin') === new URL(c.req.url).origin) return next();
  await audit(c, null, 'refused', 403, 'sign-in');
  return problem(c, 403, 'Development sign-in is off', { type: problemType('forbidden'), detail: 'This deployment signs in through Cloudflare Access only.' });
};

/**
 * `/api/admin`: the console's actions and exports. Browser forms post here and are sent back
 * to the page (303); scripts may use the bearer ADMIN_TOKEN and get JSON. Every request is in
 * the audit trail (functions/admin/console-auth.ts).
 */
export const admin = new Hono<AdminEnv>()
  // The development sign-in (`npm start` only; see functions/admin/dev-sign-in.ts).
  .post('/sign-in', sameOriginOnly, devSignInOnly, readConsoleForm, validBody(SignInSchema, { type: 'invalid-sign-in', title: 'Invalid sign-in' }), async (c) => {
    const body = c.var.body;
    setCookie(c, DEV_SIGN_IN_COOKIE, await devSignInCookie(c.env, body.name), { path: '/', httpOnly: true, sameSite: 'Strict', maxAge: DEV_SIGN_IN_SECONDS });
    await audit(c, { actor: body.name, auth: 'dev-sign-in' }, 'allowed', 303, 'sign-in');
    return back(c, paths.admin(body.lang));
  })
  .all('/sign-in', methodNotAllowed('POST'))
  .post('/sign-out', sameOriginOnly, readConsoleForm, validBody(VerifySchema), async (c) => {
    deleteCookie(c, DEV_SIGN_IN_COOKIE, { path: '/' });
    await audit(c, null, 'allowed', 303, 'sign-out');
    return back(c, paths.adminSignIn(c.var.body.lang));
  })
  .all('/sign-out', methodNotAllowed('POST'))
  .post('/invitations', requireConsole({ allowToken: true, action: 'send-invitations' }), readConsoleForm, validBody(InvitationsSchema, { type: 'invalid-invitations', title: 'Invalid invitation request' }), async (c) => {
    const body = c.var.body;
    const manifest = await publishedManifest(c.env, c.req.url);
    try {
      const outcome = await sendInvitations(c.env, manifest, new URL(c.req.url).origin, c.var.admin.actor, { ...(body.account !== undefined && { accountKey: body.account }) });
      if (wantsJson(c)) return c.json(outcome, 200, { 'cache-control': 'no-store' });
      return back(c, `${paths.adminInvitations(body.lang)}?sent=${outcome.sent}&failed=${outcome.failed}&skipped=${outcome.skipped}`);
    } catch (error) {
      if (!(error instanceof InvitationsUnavailableError)) throw error;
      return problem(c, 503, 'Invitations not sent', { type: problemType('not-configured'), detail: `${error.message} Nothing was sent.` });
    }
  })
  .all('/invitations', methodNotAllowed('POST'))
  .post('/ledger/verify', requireConsole({ allowToken: true, action: 'verify-ledger' }), readConsoleForm, validBody(VerifySchema), async (c) => {
    const lang = c.var.body.lang;
    const report = await auditStoredLedger(c.env, await logKey(c.env, await publishedManifest(c.env, c.req.url)), []);
    await recordVerification(c.env.DB, report, c.var.admin.actor);
    if (wantsJson(c)) return c.json(report, 200, { 'cache-control': 'no-store' });
    return back(c, paths.adminLedger(lang));
  })
  .all('/ledger/verify', methodNotAllowed('POST'))
  .get('/exports/:file', requireConsole({ allowToken: true, action: 'export' }), validQuery(ExportQuerySchema, { type: 'invalid-query', title: 'Invalid export query' }), async (c) => {
    const match = EXPORT_FILE.exec(c.req.param('file'));
    if (!match) return problem(c, 404, 'No such export', { detail: `Exports: ${EXPORT_LISTS.map((list) => `${list}.csv, ${list}.json`).join(', ')}.` });
    const list = match[1] as (typeof EXPORT_LISTS)[number];
    const format = match[2] as 'csv' | 'json';
    const query = c.var.query;
    const table = await exportTable(c.env, await publishedManifest(c.env, c.req.url), list, { ...(query.q !== undefined && { search: query.q }), ...(query.status !== undefined && { status: query.status }), ...(query.change !== undefined && { change: query.change }) });
    if (!table) return problem(c, 404, 'No such change', { detail: 'Name an existing change: ?change=<id>.' });
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(exportBody(list, table, format), 200, {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${list}-${stamp}.${format}"`,
      'cache-control': 'no-store',
      'x-robots-tag': 'noindex, nofollow',
    });
  })
  .all('/exports/:file', methodNotAllowed('GET'));
