import type { Manifest } from '../../src/domain/manifest.ts';
import type { NoticeEvent } from '../../src/domain/notice-events.ts';
import { webhookHeaders } from '../../src/domain/standard-webhooks.ts';
import { mailFrom, mailTransport } from '../mail/transport.ts';
import { checkEndpointUrl } from '../webhooks/endpoint-url.ts';
import { disableEndpoint, loadEndpoint } from '../webhooks/store.ts';
import { endpointDisabledMail } from '../webhooks/mails.ts';
import type { AttemptResult } from './consumer.ts';
import type { AttemptOutcome, ClaimedDelivery } from './deliveries.ts';
import { webhookPayload, type NoticeFacts } from './notice-content.ts';

/** A receiver has this long to answer; Standard Webhooks recommends answering quickly and queueing. */
const TIMEOUT_MS = 15_000;

/**
 * One signed POST (Standard Webhooks). `webhook-id` is `msg_` + the delivery id: the same on
 * every retry, so a receiver that got a delivery whose answer was lost can drop the repeat.
 * Redirects are not followed (a redirect could lead to a target the URL check refused).
 */
export async function sendWebhookNotice(env: Env, manifest: Manifest, event: NoticeEvent, delivery: ClaimedDelivery, facts: NoticeFacts, now: Date): Promise<AttemptResult> {
  const endpoint = await loadEndpoint(env, delivery.recipientId);
  if (!endpoint || endpoint.status !== 'active' || !endpoint.secret) return { ok: false, retryable: false, error: 'the endpoint is disabled' };
  // Again before every delivery: the name may point elsewhere since it was registered.
  const check = await checkEndpointUrl(env, endpoint.url);
  if (!check.ok) return { ok: false, retryable: check.retryable, error: `the endpoint URL is not allowed: ${check.reason}` };

  const body = webhookPayload(manifest, event, facts, now);
  const headers = await webhookHeaders(endpoint.secret, `msg_${delivery.id.slice(3)}`, Math.floor(now.getTime() / 1000), body);
  let response: Response;
  try {
    response = await fetch(check.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'trust-center-webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, retryable: true, error: `request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // The body is not needed; reading it frees the connection.
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
  // 410 Gone: the receiver says this endpoint no longer exists (Standard Webhooks: stop sending).
  if (response.status === 410) return { ok: false, retryable: false, httpStatus: 410, error: 'the receiver answered 410 Gone' };
  return { ok: false, retryable: true, httpStatus: response.status, error: `the receiver answered HTTP ${response.status}` };
}

/**
 * Endpoint bookkeeping after an attempt: 410 disables the endpoint; a delivery that failed for
 * good disables it and tells its owner by email.
 */
export async function endpointAfterAttempt(env: Env, manifest: Manifest, delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
  if (outcome.kind !== 'failed') return;
  const reason = outcome.httpStatus === 410 ? 'gone' : outcome.error === 'the endpoint is disabled' ? null : 'failing';
  if (reason === null) return;
  const endpoint = await disableEndpoint(env, delivery.recipientId, reason === 'gone' ? 'The receiver answered 410 Gone.' : `Deliveries kept failing: ${outcome.error}`, new Date());
  if (!endpoint) return;
  // The owner learns why deliveries stopped; a mail failure must not undo the disabling.
  try {
    const mail = endpointDisabledMail(manifest, endpoint, reason);
    await mailTransport(env).send({ from: mailFrom(env), to: endpoint.ownerEmail, ...mail });
  } catch (error) {
    console.error('could not tell the owner that their webhook endpoint was disabled', endpoint.id, error);
  }
}
