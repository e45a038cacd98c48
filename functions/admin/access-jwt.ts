import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Cloudflare Access in front of the console: Access signs in the privacy team (SSO, MFA, as the
 * team set it up) and forwards every request with a JWT in `Cf-Access-Jwt-Assertion`. The
 * Worker trusts nothing else: the JWT's signature is checked against the team's public keys,
 * and `iss`, `aud`, `exp` and `nbf` must fit, so a request that bypassed Access (a
 * `workers.dev` URL, a forged header) is refused.
 */
export interface AccessConfig {
  /** Issuer and key origin, e.g. `https://wolkenwerk.cloudflareaccess.com`. */
  issuer: string;
  /** The Access application's audience (AUD) tag. */
  audience: string;
}

/** Who Access vouched for. */
export interface AccessIdentity {
  /** The user's e-mail, or the service token's client id for scripted access. */
  actor: string;
}

/** Why a request was not let in, in the words the refusal uses. */
export type AccessRefusal = 'missing' | 'malformed' | 'expired' | 'not-yet-valid' | 'wrong-audience' | 'wrong-issuer' | 'bad-signature' | 'keys-unavailable' | 'no-identity';

export type AccessResult = { ok: true; identity: AccessIdentity } | { ok: false; refusal: AccessRefusal };

/** Thrown when only one of the two vars is set: half a configuration must not fall back to "off". */
export class AccessConfigError extends Error {
  override name = 'AccessConfigError';
}

/**
 * The Access configuration from the vars CF_ACCESS_TEAM_DOMAIN (`<team>.cloudflareaccess.com`,
 * with or without `https://`) and CF_ACCESS_AUD; null when neither is set.
 */
export function accessConfig(env: Pick<Env, 'CF_ACCESS_TEAM_DOMAIN' | 'CF_ACCESS_AUD'>): AccessConfig | null {
  const domain = env.CF_ACCESS_TEAM_DOMAIN?.trim() ?? '';
  const audience = env.CF_ACCESS_AUD?.trim() ?? '';
  if (domain === '' && audience === '') return null;
  if (domain === '' || audience === '') throw new AccessConfigError('Set both CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD (or neither).');
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`);
  } catch {
    throw new AccessConfigError(`CF_ACCESS_TEAM_DOMAIN is not a host name: ${domain}`);
  }
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.search !== '') throw new AccessConfigError(`CF_ACCESS_TEAM_DOMAIN must be an https host, e.g. wolkenwerk.cloudflareaccess.com: ${domain}`);
  return { issuer: url.origin, audience };
}

/** Where Access publishes the team's signing keys (rotated by Cloudflare; jose refetches on an unknown kid). */
export const certsUrl = (config: AccessConfig): string => `${config.issuer}/cdn-cgi/access/certs`;

// Per isolate and team: the key set is fetched once and cached (10 minutes), not per request.
const keySets = new Map<string, JWTVerifyGetKey>();

export function accessKeys(config: AccessConfig): JWTVerifyGetKey {
  const url = certsUrl(config);
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5_000 });
    keySets.set(url, keys);
  }
  return keys;
}

/** Access signs with RS256; accepting only that rules out `alg: none` and key-type confusion. */
const ALGORITHMS = ['RS256'];
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Checks one `Cf-Access-Jwt-Assertion` value; `keys` is the team's key set (accessKeys). */
export async function verifyAccessJwt(token: string | undefined, config: AccessConfig, keys: JWTVerifyGetKey, now = new Date()): Promise<AccessResult> {
  if (token === undefined || token.trim() === '') return { ok: false, refusal: 'missing' };
  if (token.length > 16_384 || !COMPACT_JWT.test(token.trim())) return { ok: false, refusal: 'malformed' };
  try {
    const { payload } = await jwtVerify(token.trim(), keys, { issuer: config.issuer, audience: config.audience, algorithms: ALGORITHMS, currentDate: now, requiredClaims: ['exp', 'iat'] });
    const actor = [payload['email'], payload['common_name'], payload.sub].find((value): value is string => typeof value === 'string' && value !== '');
    if (!actor) return { ok: false, refusal: 'no-identity' };
    return { ok: true, identity: { actor } };
  } catch (error) {
    return { ok: false, refusal: refusalOf(error) };
  }
}

function refusalOf(error: unknown): AccessRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong-audience';
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not-yet-valid';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'bad-signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')) return 'keys-unavailable';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'bad-signature';
  if (error instanceof errors.JOSEError) return 'malformed';
  // A failed fetch of the key set is a plain TypeError/Error from fetch.
  return 'keys-unavailable';
}
