import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessConfig, AccessConfigError, verifyAccessJwt, type AccessConfig } from '../functions/admin/access-jwt.ts';
import { devSignInAllowed } from '../functions/admin/dev-sign-in.ts';

/*
 * The Cloudflare Access check against a JWKS generated here: every way a token can be wrong
 * is refused with its own reason, and only a token signed by the team's key, for this
 * application, within its validity, lets anyone in.
 */

const config: AccessConfig = { issuer: 'https://wolkenwerk.cloudflareaccess.com', audience: 'aud-tag-of-the-console-application' };
const NOW = new Date('2026-12-01T10:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

let teamKey: CryptoKey;
let otherKey: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const team = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  teamKey = team.privateKey;
  otherKey = other.privateKey;
  const jwk: JWK = { ...(await exportJWK(team.publicKey)), kid: 'team-key-1', alg: 'RS256', use: 'sig' };
  keys = createLocalJWKSet({ keys: [jwk] });
});

interface TokenOptions {
  key?: CryptoKey;
  kid?: string;
  audience?: string | string[];
  issuer?: string;
  issuedAt?: Date;
  notBefore?: Date;
  expires?: Date;
  claims?: Record<string, unknown>;
}

function token(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ email: 'privacy@wolkenwerk.example', type: 'app', ...options.claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'team-key-1' })
    .setIssuer(options.issuer ?? config.issuer)
    .setAudience(options.audience ?? [config.audience])
    .setSubject('0b4e5f0a-user')
    .setIssuedAt(seconds(options.issuedAt ?? new Date(NOW.getTime() - 60_000)))
    .setExpirationTime(seconds(options.expires ?? new Date(NOW.getTime() + 3_600_000)));
  if (options.notBefore) jwt.setNotBefore(seconds(options.notBefore));
  return jwt.sign(options.key ?? teamKey);
}

describe('verifyAccessJwt', () => {
  it('lets in a token of the team for this application, naming the user', async () => {
    expect(await verifyAccessJwt(await token(), config, keys, NOW)).toEqual({ ok: true, identity: { actor: 'privacy@wolkenwerk.example' } });
  });

  it('names a service token by its client id when there is no e-mail', async () => {
    const result = await verifyAccessJwt(await token({ claims: { email: undefined, common_name: 'ci-export.access' } }), config, keys, NOW);
    expect(result).toEqual({ ok: true, identity: { actor: 'ci-export.access' } });
  });

  it.each<[string, () => Promise<string | undefined>, string]>([
    ['missing', async () => undefined, 'missing'],
    ['empty', async () => '', 'missing'],
    ['malformed', async () => 'not-a-jwt', 'malformed'],
    ['malformed (four parts)', async () => `${await token()}.extra`, 'malformed'],
    ['wrong audience', () => token({ audience: 'another-application' }), 'wrong-audience'],
    ['wrong issuer', () => token({ issuer: 'https://attacker.cloudflareaccess.com' }), 'wrong-issuer'],
    ['expired', () => token({ issuedAt: new Date(NOW.getTime() - 7_200_000), expires: new Date(NOW.getTime() - 60_000) }), 'expired'],
    ['not yet valid', () => token({ notBefore: new Date(NOW.getTime() + 600_000) }), 'not-yet-valid'],
    ['signed by another key under the team key id', () => token({ key: otherKey }), 'bad-signature'],
    ['signed by another key under an unknown key id', () => token({ key: otherKey, kid: 'attacker-key' }), 'bad-signature'],
  ])('refuses a token that is %s', async (_case, make, refusal) => {
    expect(await verifyAccessJwt(await make(), config, keys, NOW)).toEqual({ ok: false, refusal });
  });

  it('refuses an unsigned token (alg none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ email: 'x@y.example', aud: [config.audience], iss: config.issuer, exp: seconds(NOW) + 600, iat: seconds(NOW) })}.`;
    const result = await verifyAccessJwt(`${unsigned}AAAA`, config, keys, NOW);
    expect(result.ok).toBe(false);
  });

  it('refuses a token without any identity claim', async () => {
    const anonymous = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'team-key-1' }).setIssuer(config.issuer).setAudience(config.audience).setIssuedAt(seconds(NOW)).setExpirationTime(seconds(NOW) + 600).sign(teamKey);
    expect(await verifyAccessJwt(anonymous, config, keys, NOW)).toEqual({ ok: false, refusal: 'no-identity' });
  });
});

describe('accessConfig', () => {
  it('reads the team domain with or without scheme', () => {
    expect(accessConfig({ CF_ACCESS_TEAM_DOMAIN: 'wolkenwerk.cloudflareaccess.com', CF_ACCESS_AUD: 'tag' })).toEqual({ issuer: 'https://wolkenwerk.cloudflareaccess.com', audience: 'tag' });
    expect(accessConfig({ CF_ACCESS_TEAM_DOMAIN: 'https://wolkenwerk.cloudflareaccess.com/', CF_ACCESS_AUD: 'tag' })?.issuer).toBe('https://wolkenwerk.cloudflareaccess.com');
  });

  it('is off when neither is set, and an error when only one is', () => {
    expect(accessConfig({ CF_ACCESS_TEAM_DOMAIN: '', CF_ACCESS_AUD: '' })).toBeNull();
    expect(() => accessConfig({ CF_ACCESS_TEAM_DOMAIN: 'wolkenwerk.cloudflareaccess.com', CF_ACCESS_AUD: '' })).toThrow(AccessConfigError);
    expect(() => accessConfig({ CF_ACCESS_TEAM_DOMAIN: '', CF_ACCESS_AUD: 'tag' })).toThrow(AccessConfigError);
    expect(() => accessConfig({ CF_ACCESS_TEAM_DOMAIN: 'http://wolkenwerk.cloudflareaccess.com', CF_ACCESS_AUD: 'tag' })).toThrow(AccessConfigError);
  });
});

describe('devSignInAllowed', () => {
  const local = { ADMIN_DEV_SIGN_IN: 'enabled', ENVIRONMENT: 'development', CF_ACCESS_TEAM_DOMAIN: '', CF_ACCESS_AUD: '' };
  const at = (url: string) => new URL(url);

  it('is on only for npm start: flag, development, no Access, a loopback host', () => {
    expect(devSignInAllowed(local, at('http://127.0.0.1:8787/admin/'))).toBe(true);
    expect(devSignInAllowed(local, at('http://localhost:8787/admin/'))).toBe(true);
  });

  it.each<[string, Partial<typeof local>, string]>([
    ['the flag is not set', { ADMIN_DEV_SIGN_IN: '' }, 'http://127.0.0.1/admin/'],
    ['the flag has another value', { ADMIN_DEV_SIGN_IN: 'true' }, 'http://127.0.0.1/admin/'],
    ['the environment is production', { ENVIRONMENT: 'production' }, 'http://127.0.0.1/admin/'],
    ['Access is configured', { CF_ACCESS_TEAM_DOMAIN: 'wolkenwerk.cloudflareaccess.com', CF_ACCESS_AUD: 'tag' }, 'http://127.0.0.1/admin/'],
    ['Access is half configured', { CF_ACCESS_AUD: 'tag' }, 'http://127.0.0.1/admin/'],
    ['the host is a real name', {}, 'https://trust.wolkenwerk.example/admin/'],
    ['the host only starts like localhost', {}, 'https://localhost.attacker.example/admin/'],
  ])('is off when %s', (_case, change, url) => {
    expect(devSignInAllowed({ ...local, ...change }, at(url))).toBe(false);
  });

  it('cannot be on under the production config wrangler.toml ships, whatever the flag says', () => {
    const production = { ADMIN_DEV_SIGN_IN: 'enabled', ENVIRONMENT: 'production', CF_ACCESS_TEAM_DOMAIN: 'wolkenwerk.cloudflareaccess.com', CF_ACCESS_AUD: 'tag' };
    for (const url of ['http://127.0.0.1/admin/', 'http://localhost/admin/', 'https://trust.wolkenwerk.example/admin/']) expect(devSignInAllowed(production, at(url))).toBe(false);
  });
});
