import { paths } from '../../src/lib/paths.ts';
import { unsubscribeToken } from './tokens.ts';

export { unsubscribeToken } from './tokens.ts';

/** The one-click unsubscribe URL of a subscriber (RFC 8058: POST unsubscribes, GET asks first). */
export async function unsubscribeUrl(env: Env, origin: string, subscriberId: string): Promise<string> {
  return new URL(paths.unsubscribeApi(subscriberId, await unsubscribeToken(env, subscriberId)), origin).href;
}

/**
 * Header fields every notice carries: List-Unsubscribe with the HTTPS URL and
 * List-Unsubscribe-Post, so mail clients offer one-click unsubscribe (RFC 8058 §3.1).
 */
export async function unsubscribeHeaders(env: Env, origin: string, subscriberId: string): Promise<Record<string, string>> {
  return unsubscribeHeadersFor(await unsubscribeUrl(env, origin, subscriberId));
}

/** The same header fields for an unsubscribe URL already made (one HMAC per mail, not two). */
export function unsubscribeHeadersFor(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
