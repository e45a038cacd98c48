import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { recordLocalVerification, verifyLedger } from '../src/cli/ledger-verify.ts';
import { acceptJson, appendDirectly, d1Source, logKeyOf, manifestOf, validSubmission } from './support/acceptance.ts';
import { tempMailSink } from './support/notices.ts';

/*
 * The privacy team's console through the built Worker in workerd: who gets in (Cloudflare
 * Access JWT against a JWKS served to the Worker's own fetch, the development sign-in, the
 * bearer token for scripts), every refusal as problem+json, the audit trail, exports and
 * re-acceptance invitations. Each test has its own Worker (useWorker in its describe block):
 * they count audit rows, acceptances and attempt limits from an empty database.
 */

const TEAM = 'wolkenwerk-test.cloudflareaccess.com';
const AUD = 'console-application-aud-tag';
const ACCESS_VARS = { CF_ACCESS_TEAM_DOMAIN: TEAM, CF_ACCESS_AUD: AUD };
const DEV_VARS = { ADMIN_DEV_SIGN_IN: 'enabled', ENVIRONMENT: 'development' };

type AccessTeam = Awaited<ReturnType<typeof accessTeam>>;

/** A team key pair and the Worker's outbound fetch answering Access's certs URL with it. */
async function accessTeam() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let certFetches = 0;
  const outbound = (request: Request) => {
    if (request.url === `https://${TEAM}/cdn-cgi/access/certs`) {
      certFetches += 1;
      return Response.json({ keys: [jwk], public_cert: { kid: 'k1' } });
    }
    return new Response('unexpected outbound fetch', { status: 599 });
  };
  const sign = (claims: { aud?: string; exp?: number } = {}) =>
    new SignJWT({ email: 'privacy@wolkenwerk.example' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`https://${TEAM}`)
      .setAudience(claims.aud ?? AUD)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(privateKey);
  return { outbound, sign, certFetches: () => certFetches };
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; type: string; detail: string };
}

const html = { accept: 'text/html' };

/**
 * An Access team made before the Worker starts (this beforeAll runs before the one useWorker
 * registers after it), and an outbound fetch for the Worker's options that answers with it.
 */
function useAccessTeam(): { team: () => AccessTeam; outbound: (request: Request) => Response } {
  let team: AccessTeam | undefined;
  beforeAll(async () => {
    team = await accessTeam();
  });
  return { team: () => team!, outbound: (request) => team!.outbound(request) };
}

async function auditRows(w: WorkerHandle) {
  return (await w.db.prepare('SELECT actor, auth, method, path, action, outcome, status FROM admin_audit ORDER BY id').all()).results as Array<Record<string, unknown>>;
}

/** Signs in with the development sign-in and returns the cookie header to send. */
async function devSignIn(w: WorkerHandle, name = 'Dana Datenschutz'): Promise<string> {
  const response = await w.fetch('/api/admin/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ name, lang: 'de' }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/admin/');
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^tc_admin_dev=[^;]+;.*HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  return cookie.split(';')[0]!;
}

const formPost = (cookie: string, fields: Record<string, string>, origin = 'http://localhost') => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie, 'sec-fetch-site': origin === 'http://localhost' ? 'same-origin' : 'cross-site' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe('console authentication', () => {
  describe('without Access config', () => {
    const w = useWorker();
    it('is off (503 problem+json) in a deployment without Access config', async () => {
      const paths = ['/admin', '/admin/', '/en/admin', '/en/admin/acceptances/', '/api/admin/exports/accounts.csv'];
      for (const path of paths) {
        const response = await w.fetch(path, { headers: html });
        expect(response.status, path).toBe(503);
        expect((await problemOf(response)).type).toBe('urn:trust-center:problem:not-configured');
      }
      expect((await auditRows(w)).map((row) => [row.path, row.outcome, row.status, row.auth])).toEqual(paths.map((path) => [path, 'refused', 503, 'none']));
    });
  });

  describe('with Cloudflare Access', () => {
    const access = useAccessTeam();
    const w = useWorker({ vars: ACCESS_VARS, outbound: access.outbound });
    it('with Cloudflare Access: 401 without the JWT, 403 for a wrong audience or an expired one, the page for a valid one', async () => {
      const team = access.team();

      const missing = await w.fetch('/admin/acceptances/', { headers: html });
      expect(missing.status).toBe(401);
      expect((await problemOf(missing)).type).toBe('urn:trust-center:problem:unauthenticated');

      const wrongAudience = await w.fetch('/admin/acceptances/', { headers: { ...html, 'cf-access-jwt-assertion': await team.sign({ aud: 'another-app' }) } });
      expect(wrongAudience.status).toBe(403);
      expect((await problemOf(wrongAudience)).detail).toMatch(/another application/);

      const expired = await w.fetch('/admin/acceptances/', { headers: { ...html, 'cf-access-jwt-assertion': await team.sign({ exp: Math.floor(Date.now() / 1000) - 60 }) } });
      expect(expired.status).toBe(403);
      expect((await problemOf(expired)).detail).toMatch(/expired/);

      const manifest = await manifestOf(w);
      await acceptJson(w, validSubmission(manifest, { companyName: 'Sichtbar GmbH', accountId: 'ACC-7' }));
      const valid = await w.fetch('/admin/acceptances/', { headers: { ...html, 'cf-access-jwt-assertion': await team.sign() } });
      expect(valid.status).toBe(200);
      expect(valid.headers.get('cache-control')).toBe('no-store');
      expect(valid.headers.get('x-robots-tag')).toBe('noindex, nofollow');
      const page = await valid.text();
      expect(page).toContain('Sichtbar GmbH');
      expect(page).toContain('privacy@wolkenwerk.example');
      expect(page).toContain('<meta name="robots" content="noindex, nofollow">');
      // Never in the sitemap (nor, being rendered per request, in the search index).
      expect(await (await w.fetch('/sitemap.xml')).text()).not.toContain('/admin');

      // The development sign-in does not exist where Access is configured.
      const signIn = await w.fetch('/api/admin/sign-in', formPost('', { name: 'Mallory' }));
      expect(signIn.status).toBe(403);

      // The key set was fetched once and cached for the following requests.
      expect(team.certFetches()).toBe(1);
      const rows = await auditRows(w);
      expect(rows.map((row) => [row.auth, row.outcome, row.status])).toEqual([
        ['none', 'refused', 401],
        ['none', 'refused', 403],
        ['none', 'refused', 403],
        ['access', 'allowed', 200],
        ['none', 'refused', 403],
      ]);
      expect(rows[3]).toMatchObject({ actor: 'privacy@wolkenwerk.example', method: 'GET', path: '/admin/acceptances/', action: 'view' });
    });
  });

  describe('under production-like configs', () => {
    const flagOnly = useWorker({ vars: { ADMIN_DEV_SIGN_IN: 'enabled' } });
    const withAccess = useWorker({ vars: { ...DEV_VARS, ...ACCESS_VARS }, outbound: useAccessTeam().outbound });
    const dev = useWorker({ vars: DEV_VARS });
    it('never turns the development sign-in on under a production-like config', async () => {
      // The flag alone (as if someone set it in wrangler.toml) with the shipped production ENVIRONMENT …
      expect((await flagOnly.fetch('/api/admin/sign-in', formPost('', { name: 'Mallory' }))).status).toBe(403);
      expect((await flagOnly.fetch('/admin/', { headers: html })).status).toBe(503);
      // … or with Access configured, even in development.
      expect((await withAccess.fetch('/api/admin/sign-in', formPost('', { name: 'Mallory' }))).status).toBe(403);
      // A cookie signed by a development instance is worth nothing elsewhere (other keys).
      const cookie = await devSignIn(dev);
      expect((await withAccess.fetch('/admin/', { headers: { ...html, cookie } })).status).toBe(401);
      // And on a real host name the development instance refuses it too.
      expect((await dev.fetch('https://trust.wolkenwerk.example/admin/', { headers: { ...html, cookie } })).status).toBe(503);
      const refused = await flagOnly.db.prepare("SELECT COUNT(*) AS n FROM admin_audit WHERE action = 'sign-in' AND outcome = 'refused'").first<{ n: number }>();
      expect(refused!.n).toBe(1);
    });
  });

  describe('with the development sign-in', () => {
    const w = useWorker({ vars: DEV_VARS });
    it('signs in locally with the development sign-in; a browser without it is sent to the form', async () => {
      const redirect = await w.fetch('/en/admin/changes/', { headers: html, redirect: 'manual' });
      expect(redirect.status).toBe(303);
      expect(redirect.headers.get('location')).toBe('/en/admin/sign-in/');
      const form = await w.fetch('/en/admin/sign-in/', { headers: html });
      expect(form.status).toBe(200);
      expect(await form.text()).toContain('action="/api/admin/sign-in"');
      // A script without the cookie gets the problem, not a redirect.
      expect((await w.fetch('/admin/')).status).toBe(401);

      const cookie = await devSignIn(w);
      const overview = await w.fetch('/admin/', { headers: { ...html, cookie } });
      expect(overview.status).toBe(200);
      expect(await overview.text()).toContain('Dana Datenschutz');
      // Pages are read-only; actions go to /api/admin.
      expect((await w.fetch('/admin/', { method: 'POST', headers: { cookie } })).status).toBe(405);
      // A tampered cookie is no sign-in.
      const tampered = cookie.replace(/=([A-Za-z0-9_-]+)\./, (_match, payload: string) => `=${Buffer.from(JSON.stringify({ name: 'Mallory', exp: 4102444800 })).toString('base64url')}.`);
      expect(tampered).not.toBe(cookie);
      expect((await w.fetch('/admin/', { headers: { cookie: tampered } })).status).toBe(401);
    });
  });

  describe('against forged requests', () => {
    const w = useWorker({ vars: DEV_VARS });
    it('refuses console actions from another site (CSRF) and wrong bearer tokens, as problem+json', async () => {
      const cookie = await devSignIn(w);
      const crossSite = await w.fetch('/api/admin/ledger/verify', formPost(cookie, { lang: 'de' }, 'https://attacker.example'));
      expect(crossSite.status).toBe(403);
      expect((await problemOf(crossSite)).type).toBe('urn:trust-center:problem:csrf');
      const wrongToken = await w.fetch('/api/admin/exports/accounts.json', { headers: { authorization: 'Bearer wrong' } });
      expect(wrongToken.status).toBe(403);
      await problemOf(wrongToken);
      const token = await w.fetch('/api/admin/exports/accounts.json', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { list: string }).list).toBe('accounts');
      // Guessing the token runs into the attempt limit; those refusals are in the audit trail too.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 12; attempt++) statuses.push((await w.fetch('/api/admin/exports/audit.csv', { headers: { authorization: `Bearer guess-${attempt}` } })).status);
      expect(statuses.at(-1)).toBe(429);
      const limited = await w.db.prepare("SELECT COUNT(*) AS n FROM admin_audit WHERE status = 429 AND outcome = 'refused' AND action = 'export'").first<{ n: number }>();
      expect(limited!.n).toBe(statuses.filter((status) => status === 429).length);
    });
  });
});

describe('admin audit trail', () => {
  const w = useWorker({ vars: DEV_VARS });
  it('records every admin request, the token endpoints too, and the database refuses to change or delete a row', async () => {
    const cookie = await devSignIn(w);
    await w.fetch('/admin/audit/', { headers: { cookie } });
    await w.fetch('/api/acceptances/status?account=ACC-1', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } });
    await w.fetch('/api/acceptances/status?account=ACC-1', { headers: { authorization: 'Bearer nope' } });
    const rows = await auditRows(w);
    expect(rows.map((row) => [row.actor, row.auth, row.action, row.outcome, row.status])).toEqual([
      ['Dana Datenschutz', 'dev-sign-in', 'sign-in', 'allowed', 303],
      ['Dana Datenschutz', 'dev-sign-in', 'view', 'allowed', 200],
      ['admin-token', 'admin-token', 'view', 'allowed', 200],
      [null, 'none', 'view', 'refused', 403],
    ]);
    await expect(w.db.prepare("UPDATE admin_audit SET actor = 'someone else'").run()).rejects.toThrow(/append-only/);
    await expect(w.db.prepare('DELETE FROM admin_audit').run()).rejects.toThrow(/append-only/);
    expect(await auditRows(w)).toEqual(rows);
    // The console shows it.
    const page = await (await w.fetch('/admin/audit/', { headers: { cookie } })).text();
    expect(page).toContain('/api/acceptances/status?account=ACC-1');
  });
});

describe('exports', () => {
  describe('of acceptances', () => {
    const w = useWorker({ vars: DEV_VARS });
    it('exports the acceptances as formula-safe CSV with BOM, and as JSON with the same rows', async () => {
      const manifest = await manifestOf(w);
      await acceptJson(w, validSubmission(manifest, { companyName: '=HYPERLINK("https://attacker.example","Rechnung")', accountId: '+ACC-1', signerEmail: 'a@kunde.example' }));
      await acceptJson(w, validSubmission(manifest, { companyName: 'Müller, Söhne & Co. KG', accountId: 'ACC-2', signerEmail: 'b@kunde.example' }));
      const cookie = await devSignIn(w);
      const csv = await w.fetch('/api/admin/exports/accounts.csv', { headers: { cookie } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="accounts-\d{4}-\d{2}-\d{2}\.csv"$/);
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      const lines = text.split('\r\n');
      expect(lines[0]).toBe('accountKey,accountId,companyName,status,avvVersion,versionInForce,acceptedAt,signerName,signerEmail,lang,acceptanceCount,recordId,invitation');
      expect(text).toContain(`'+ACC-1,"'=HYPERLINK(""https://attacker.example"",""Rechnung"")",current,`);
      expect(text).toContain('ACC-2,ACC-2,"Müller, Söhne & Co. KG",current,');
      const json = (await (await w.fetch('/api/admin/exports/accounts.json?status=current', { headers: { cookie } })).json()) as { count: number; rows: Array<{ companyName: string }> };
      expect(json.count).toBe(2);
      expect(json.rows.map((row) => row.companyName).sort()).toEqual(['=HYPERLINK("https://attacker.example","Rechnung")', 'Müller, Söhne & Co. KG']);
      expect((await w.fetch('/api/admin/exports/nothing.csv', { headers: { cookie } })).status).toBe(404);
      expect((await w.fetch('/api/admin/exports/accounts.csv?unknown=1', { headers: { cookie } })).status).toBe(400);
    });
  });

  describe('of subscribers', () => {
    const w = useWorker({ vars: DEV_VARS });
    it('shows subscribers as counts only; their addresses only in the explicit export', async () => {
      await w.db.prepare("INSERT INTO subscribers (id, email, lang, topics, status, created_at, confirmed_at) VALUES ('s1', 'geheim@kunde.example', 'de', '[\"subprocessor-changes\"]', 'confirmed', '2026-11-20T10:00:00.000Z', '2026-11-20T10:05:00.000Z')").run();
      const cookie = await devSignIn(w);
      const page = await (await w.fetch('/admin/subscribers/', { headers: { cookie } })).text();
      expect(page).not.toContain('geheim@kunde.example');
      expect(page).toMatch(/bestätigt<\/th><td>1<\/td>/);
      const exported = await (await w.fetch('/api/admin/exports/subscribers.csv', { headers: { cookie } })).text();
      expect(exported).toContain('geheim@kunde.example,confirmed,de,subprocessor-changes');
    });
  });
});

describe('acceptance detail and ledger health', () => {
  const w = useWorker({ vars: DEV_VARS });
  it('shows the full record with its receipt, and stores each verification run', async () => {
    const manifest = await manifestOf(w);
    const receipt = await acceptJson(w, validSubmission(manifest, { companyName: 'Detail AG', accountId: 'ACC-D' }));
    const cookie = await devSignIn(w);
    const detail = await (await w.fetch(`/admin/acceptances/record/?id=${receipt.record.recordId}`, { headers: { cookie } })).text();
    expect(detail).toContain('Detail AG');
    expect(detail).toContain(receipt.record.documentSha256);
    expect(detail).toContain('/avv/accept/receipt/?id=');
    expect((await w.fetch('/admin/acceptances/record/?id=00000000-0000-4000-8000-000000000000', { headers: { cookie } })).status).toBe(404);

    expect(await (await w.fetch('/admin/ledger/', { headers: { cookie } })).text()).toContain('noch nie geprüft');
    const verify = await w.fetch('/api/admin/ledger/verify', formPost(cookie, { lang: 'de' }));
    expect(verify.status).toBe(303);
    expect(verify.headers.get('location')).toBe('/admin/ledger/');
    const ledger = await (await w.fetch('/admin/ledger/', { headers: { cookie } })).text();
    expect(ledger).toContain('Der letzte Checkpoint liegt im Zeugen-Bucket.');
    expect(ledger).toMatch(/data-testid="last-verification">[^<]*: <span class="badge badge-ok">intakt/);
    // The token endpoint stores its runs as well.
    await w.fetch('/api/ledger/verify', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } });
    // And so does a local `npm run ledger:verify` (the same D1 as `npm start`'s console), with the CLI's own audit.
    const local = await verifyLedger(d1Source(w), await logKeyOf(w, manifest));
    await recordLocalVerification({ run: async (sql, values) => void (await w.db.prepare(sql).bind(...values).run()) }, local, new Date('2030-01-01T00:00:00Z'));
    const runs = (await w.db.prepare('SELECT actor, ok, tree_size FROM ledger_verifications ORDER BY id').all()).results;
    expect(runs).toEqual([
      { actor: 'Dana Datenschutz', ok: 1, tree_size: 1 },
      { actor: 'admin-token', ok: 1, tree_size: 1 },
      { actor: 'npm run ledger:verify (local)', ok: 1, tree_size: 1 },
    ]);
    const page = await (await w.fetch('/admin/ledger/', { headers: { cookie } })).text();
    expect(page).toMatch(/data-testid="last-verification">2030-01-01T00:00:00.000Z: <span class="badge badge-ok">/);
    expect(page).toContain('npm run ledger:verify (local)');
    await expect(w.db.prepare('DELETE FROM ledger_verifications').run()).rejects.toThrow(/append-only/);
  });
});

describe('changes', () => {
  const w = useWorker({ vars: DEV_VARS });
  it('shows per change the declarations received, and exports them', async () => {
    // A consent under the consent rule, which states no period: accepted on any day.
    const changeId = '2026-09-hafenlicht-nachtsupport-indien';
    const declared = await w.fetch('/api/objections', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ kind: 'consent', changeId, companyName: 'Zustimmend GmbH', accountId: 'ACC-Z', signerName: 'Zora Zustimmung', signerRole: 'Geschäftsführerin', signerEmail: 'zora@kunde.example', lang: 'de' }),
    });
    expect(declared.status, await declared.clone().text()).toBe(201);
    const cookie = await devSignIn(w);
    const list = await (await w.fetch('/admin/changes/', { headers: { cookie } })).text();
    const row = list.slice(list.indexOf(`data-change="${changeId}"`), list.indexOf('</tr>', list.indexOf(`data-change="${changeId}"`)));
    expect(row).toContain('Zustimmung: 1');
    expect(row).toContain('Zustimmung</td>');
    const detail = await w.fetch(`/admin/changes/?change=${changeId}`, { headers: { cookie } });
    expect(detail.status).toBe(200);
    const text = await detail.text();
    expect(text).toContain('Zustimmend GmbH');
    expect(text).toContain('zora@kunde.example');
    expect((await w.fetch('/admin/changes/?change=no-such-change', { headers: { cookie } })).status).toBe(404);
    const csv = await (await w.fetch(`/api/admin/exports/change-declarations.csv?change=${changeId}`, { headers: { cookie } })).text();
    expect(csv).toContain('consent,Zustimmend GmbH,ACC-Z,Zora Zustimmung,zora@kunde.example,');
  });
});

// The invitations' mail sink: its port goes into that Worker's vars, so it runs before the Worker is configured.
const sink = await tempMailSink();
afterAll(() => sink.close());

describe('re-acceptance invitations', () => {
  const w = useWorker({ vars: { ...DEV_VARS, ...sink.vars } });
  it('invites the signer of an outdated acceptance once per account and version, with evidence, into the mail sink', async () => {
    const manifest = await manifestOf(w);
    await appendDirectly(w, manifest, { avvVersion: '1.0', companyName: 'Altkunde AG', accountId: 'ACC-OLD', signerEmail: 'otto@altkunde.example', signerName: 'Otto Normal', lang: 'en' });
    await acceptJson(w, validSubmission(manifest, { companyName: 'Neukunde GmbH', accountId: 'ACC-NEW', signerEmail: 'neu@kunde.example' }));
    const cookie = await devSignIn(w);

    const listed = await (await w.fetch('/admin/invitations/', { headers: { cookie } })).text();
    expect(listed).toContain('Altkunde AG');
    expect(listed).not.toContain('Neukunde GmbH');

    const first = await w.fetch('/api/admin/invitations', formPost(cookie, { lang: 'de' }));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/invitations/?sent=1&failed=0&skipped=0');
    const second = await w.fetch('/api/admin/invitations', formPost(cookie, { lang: 'de' }));
    expect(second.headers.get('location')).toBe('/admin/invitations/?sent=0&failed=0&skipped=1');
    const one = await w.fetch('/api/admin/invitations', formPost(cookie, { lang: 'de', account: 'ACC-OLD' }));
    expect(one.headers.get('location')).toBe('/admin/invitations/?sent=0&failed=0&skipped=1');

    const evidence = (await w.db.prepare('SELECT account_key, avv_version, accepted_version, recipient, lang, requested_by, state, message_id FROM reacceptance_invitations').all()).results;
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ account_key: 'ACC-OLD', avv_version: '2.0', accepted_version: '1.0', recipient: 'otto@altkunde.example', lang: 'en', requested_by: 'Dana Datenschutz', state: 'sent' });
    const mail = await sink.waitFor((message) => message.envelope.to[0] === 'otto@altkunde.example');
    expect(mail.parsed.subject).toBe(`Please accept AVV version 2.0 – ${manifest.vendor}`);
    expect(mail.parsed.text).toContain('http://localhost/en/avv/accept/');
    expect(mail.parsed.text).toContain('Hello Otto Normal,');
    expect(`<${evidence[0]!.message_id}>`).toBe(mail.parsed.messageId);
    expect((await sink.messages()).filter((message) => message.envelope.to[0] === 'otto@altkunde.example')).toHaveLength(1);

    const page = await (await w.fetch('/admin/invitations/?sent=0&failed=0&skipped=1', { headers: { cookie } })).text();
    expect(page).toContain('otto@altkunde.example');
    expect(page).toContain('Gesendet: 0, fehlgeschlagen: 0, schon zuvor eingeladen: 1.');
    await expect(w.db.prepare('DELETE FROM reacceptance_invitations').run()).rejects.toThrow(/never deleted/);
    await expect(w.db.prepare("UPDATE reacceptance_invitations SET recipient = 'x@y.example'").run()).rejects.toThrow(/only the outcome/);
  });
});
