import type { Context, MiddlewareHandler } from 'hono';
import { limitFailedAttempts, SECRET_ATTEMPTS } from '../pipeline/attempt-limit.ts';
import type { AppEnv } from '../app-env.ts';
import { problem } from '../problem.ts';
import { problemType } from './problem-types.ts';
import { audit } from '../admin/audit.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Wrong bearer tokens count against the client IP; past the limit, 429 without checking. */
export const limitWrongTokens = limitFailedAttempts({ scope: 'admin', ...SECRET_ATTEMPTS, wellFormed: (c) => BEARER.test(c.req.header('authorization') ?? '') });

/**
 * Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>` (a Worker secret). Missing
 * credentials → 401 with a challenge, wrong ones → 403 and count against the client IP
 * (attempt limit), so the token cannot be guessed; without the secret the endpoints are off
 * (503) rather than open.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  let allowed = false;
  const limited = await limitWrongTokens(c, async () => {
    const refused = await checkAdminToken(c);
    if (refused) {
      c.res = refused;
      return;
    }
    allowed = true;
    await next();
  });
  if (limited instanceof Response) c.res = limited;
  // Every admin request is in the audit trail, the scripts' ones too, refused ones included (migration 0012).
  await audit(c, allowed ? { actor: 'admin-token', auth: 'admin-token' } : null, allowed ? 'allowed' : 'refused', c.res.status);
};

/** The bearer token check alone: null when the request carries ADMIN_TOKEN, else the refusal. */
export async function checkAdminToken(c: Context): Promise<Response | null> {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) {
    return problem(c, 503, 'Admin access not configured', { type: problemType('not-configured'), detail: 'Set the ADMIN_TOKEN secret to use admin endpoints.' });
  }
  const match = BEARER.exec(c.req.header('authorization') ?? '');
  if (!match) {
    return problem(c, 401, 'Authentication required', { type: problemType('unauthenticated'), detail: 'Send Authorization: Bearer <admin token>.' }, { 'www-authenticate': 'Bearer realm="trust-center-admin"' });
  }
  if (!(await constantTimeEqual(match[1]!, expected))) {
    return problem(c, 403, 'Not allowed', { type: problemType('forbidden'), detail: 'The admin token is not valid.' });
  }
  return null;
}

/**
 * Compares two secrets without leaking where they differ: both are hashed first, so the
 * comparison runs over equal lengths, and the loop never exits early.
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(a)), crypto.subtle.digest('SHA-256', encoder.encode(b))]);
  const [left, right] = [new Uint8Array(x), new Uint8Array(y)];
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= left[index]! ^ right[index]!;
  return difference === 0;
}
