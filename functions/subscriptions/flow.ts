import { publishedSiteChrome } from '../../src/lib/published-site-chrome.ts';
import { paths, type Lang } from '../../src/lib/paths.ts';
import { mailFrom, mailTransport } from '../mail/transport.ts';
import { sendPendingNotices } from '../notices/dispatch.ts';
import { publishedManifest } from '../published-manifest.ts';
import { confirmationMail } from './confirmation-mail.ts';
import type { SubscriptionRequest } from './request.ts';
import { confirmSignUp, discardSignUp, findSignUp, recordConfirmationMail, recordSignUp, unsubscribe, type SignUpRequest, type UnsubscribeOutcome } from './store.ts';
import { CONFIRMATION_TOKEN_HOURS, confirmationTokenHash, isValidUnsubscribeToken, newConfirmationToken, unsubscribeToken } from './tokens.ts';
import { unsubscribeHeaders } from './unsubscribe.ts';
import { welcomeMail } from './welcome-mail.ts';

/**
 * Stores a sign-up and sends its confirmation mail. The same happens for new, pending,
 * confirmed and unsubscribed addresses (a confirmed one may change its topics this way), so
 * neither the response nor the work done tells whether an address is known. If the mail cannot
 * be sent the sign-up is removed again and the error propagates: nothing half-done remains.
 */
export async function requestSubscription(env: Env, origin: string, request: SubscriptionRequest, ip: string | null, now = new Date()): Promise<void> {
  const from = mailFrom(env);
  const transport = mailTransport(env);
  const { token, sha256 } = await newConfirmationToken();
  const stored = await recordSignUp(env.DB, {
    email: request.email,
    topics: request.topics,
    lang: request.lang,
    wordingVersion: request.wordingVersion,
    ip,
    now,
    tokenSha256: sha256,
    expiresAt: new Date(now.getTime() + CONFIRMATION_TOKEN_HOURS * 3_600_000),
  });
  try {
    const chrome = await publishedSiteChrome(env, new URL(origin));
    const message = confirmationMail({
      from,
      to: request.email.trim(),
      lang: request.lang,
      vendor: chrome.shortName,
      topics: request.topics,
      confirmUrl: new URL(paths.subscribeConfirm(request.lang, token), origin).href,
      expiresHours: CONFIRMATION_TOKEN_HOURS,
      retention: (await publishedManifest(env, origin)).retention['unconfirmed-sign-ups'],
    });
    const { messageId } = await transport.send(message);
    await recordConfirmationMail(env.DB, stored.requestId, messageId);
  } catch (error) {
    await discardSignUp(env.DB, stored.requestId, stored.subscriberId).catch((cleanup: unknown) => console.error('sign-up not discarded', cleanup));
    throw error;
  }
}

/** What a confirmation link is worth right now. */
export type ConfirmationState =
  | { kind: 'valid'; request: SignUpRequest }
  | { kind: 'used'; request: SignUpRequest }
  | { kind: 'expired'; lang: Lang }
  | { kind: 'invalid' };

export async function confirmationState(db: D1Database, token: string, now = new Date()): Promise<ConfirmationState> {
  if (token === '' || token.length > 100) return { kind: 'invalid' };
  const request = await findSignUp(db, await confirmationTokenHash(token));
  if (request === null) return { kind: 'invalid' };
  if (request.confirmedAt !== null) return { kind: 'used', request };
  if (Date.parse(request.expiresAt) <= now.getTime()) return { kind: 'expired', lang: request.lang };
  return { kind: 'valid', request };
}

/**
 * Confirms the sign-up behind `token` once, then sends the welcome mail (with the list's
 * unsubscribe headers) and queues the notices of changes still pending. The confirmation stands
 * even when those fail: consent was given.
 */
export async function confirmByToken(env: Env, origin: string, token: string, ip: string | null, now = new Date()): Promise<ConfirmationState | { kind: 'confirmed'; request: SignUpRequest }> {
  const state = await confirmationState(env.DB, token, now);
  if (state.kind !== 'valid') return state;
  const confirmed = await confirmSignUp(env.DB, state.request, now, ip);
  if (!confirmed) return { kind: 'used', request: state.request };
  await sendWelcome(env, origin, state.request).catch((error: unknown) => console.error('welcome mail not sent', error instanceof Error ? error.message : error));
  const { subscriberId, email, lang, topics } = state.request;
  await sendPendingNotices(env, await publishedManifest(env, origin), { id: subscriberId, email, lang, topics }, now).catch((error: unknown) =>
    console.error('pending notices not queued', error instanceof Error ? error.message : error),
  );
  return { kind: 'confirmed', request: state.request };
}

async function sendWelcome(env: Env, origin: string, request: SignUpRequest): Promise<void> {
  const chrome = await publishedSiteChrome(env, new URL(origin));
  const token = await unsubscribeToken(env, request.subscriberId);
  await mailTransport(env).send(
    welcomeMail({
      from: mailFrom(env),
      to: request.email,
      lang: request.lang,
      vendor: chrome.shortName,
      topics: request.topics,
      changesUrl: new URL(paths.changes(request.lang), origin).href,
      unsubscribePageUrl: new URL(paths.unsubscribe(request.lang, request.subscriberId, token), origin).href,
      listHeaders: await unsubscribeHeaders(env, origin, request.subscriberId),
    }),
  );
}

/** Unsubscribes when the token belongs to the subscriber id; 'unknown' for any mismatch. */
export async function unsubscribeWithToken(env: Env, subscriberId: string, token: string, via: 'one-click' | 'page', now = new Date()): Promise<UnsubscribeOutcome> {
  if (!(await isValidUnsubscribeToken(env, subscriberId, token))) return 'unknown';
  return unsubscribe(env.DB, subscriberId, now, via);
}
