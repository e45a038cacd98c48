import { parse } from 'hono/utils/cookie';
import { fromBase64Url, toBase64Url } from '../../src/domain/signing-key.ts';
import { constantTimeEqual } from '../lib/admin-auth.ts';
import { keyedHash } from '../lib/data-keys.ts';
import { accessConfig } from './access-jwt.ts';

/** The development sign-in's cookie: who signed in, until when, with an HMAC over both. */
export const DEV_SIGN_IN_COOKIE = 'tc_admin_dev';
/** A working day; after that `npm start` asks for the name again. */
export const DEV_SIGN_IN_SECONDS = 8 * 60 * 60;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `npm start`'s development sign-in may be used for this request. All four must hold,
 * so no single setting can switch it on in production:
 * - ADMIN_DEV_SIGN_IN is `enabled` (only src/cli/start.ts passes it, never wrangler.toml);
 * - ENVIRONMENT is `development` (wrangler.toml ships `production`);
 * - no Cloudflare Access is configured (a deployment with Access signs in through Access only);
 * - the request is addressed to a loopback host (Cloudflare routes only real host names to a
 *   deployed Worker, so a deployed Worker never sees `localhost`).
 */
export function devSignInAllowed(env: Pick<Env, 'ADMIN_DEV_SIGN_IN' | 'ENVIRONMENT' | 'CF_ACCESS_TEAM_DOMAIN' | 'CF_ACCESS_AUD'>, url: URL): boolean {
  if (env.ADMIN_DEV_SIGN_IN !== 'enabled' || env.ENVIRONMENT !== 'development') return false;
  try {
    if (accessConfig(env) !== null) return false;
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(url.hostname);
}

async function mac(env: Env, payload: string): Promise<string> {
  return keyedHash(env, 'dev-sign-in', `admin-dev-sign-in\n${payload}`);
}

/** The cookie value for `name`, valid for DEV_SIGN_IN_SECONDS from `now`. */
export async function devSignInCookie(env: Env, name: string, now = Date.now()): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify({ name, exp: Math.floor(now / 1000) + DEV_SIGN_IN_SECONDS })));
  return `${payload}.${await mac(env, payload)}`;
}

/** The signed-in name, if the request carries a valid, unexpired development sign-in cookie. */
export async function devSignedInName(env: Env, cookieHeader: string, now = Date.now()): Promise<string | null> {
  const value = parse(cookieHeader, DEV_SIGN_IN_COOKIE)[DEV_SIGN_IN_COOKIE];
  if (!value || value.length > 1024) return null;
  const [payload, signature, ...rest] = value.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  if (!(await constantTimeEqual(signature, await mac(env, payload)))) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { name, exp } = parsed as { name?: unknown; exp?: unknown };
    if (typeof name !== 'string' || typeof exp !== 'number' || exp * 1000 <= now) return null;
    return name;
  } catch {
    return null;
  }
}
