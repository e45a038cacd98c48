import type { Manifest } from '../../src/domain/manifest.ts';
import type { NoticeEvent } from '../../src/domain/notice-events.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, MailTransportError } from '../mail/transport.ts';
import { unsubscribeHeaders, unsubscribeUrl } from '../subscriptions/unsubscribe.ts';
import type { AttemptResult } from './consumer.ts';
import type { ClaimedDelivery } from './deliveries.ts';
import { noticeMailText, type NoticeFacts } from './notice-content.ts';

/**
 * One email notice to one subscriber. The Message-ID is derived from the delivery id, so a
 * notice that has to be sent again (its first hand-over was never confirmed) carries the same
 * id and mail clients show it once.
 */
export async function sendEmailNotice(env: Env, manifest: Manifest, event: NoticeEvent, delivery: ClaimedDelivery, facts: NoticeFacts): Promise<AttemptResult> {
  const site = new URL(manifest.siteUrl);
  // Someone who unsubscribed after the fan-out must not get the notice anyway.
  const subscriber = await env.DB.prepare('SELECT status FROM subscribers WHERE id = ?').bind(delivery.recipientId).first<{ status: string }>();
  if (subscriber?.status !== 'confirmed') return { ok: false, retryable: false, error: 'the subscriber unsubscribed before the notice was sent' };
  try {
    const { subject, text } = noticeMailText(manifest, event, facts, await unsubscribeUrl(env, site.origin, delivery.recipientId));
    const { messageId } = await mailTransport(env).send({
      from: mailFrom(env),
      to: delivery.recipientAddress,
      // Replying to a change notice is objecting: the answer goes to whoever receives objections.
      ...(event.topic === 'subprocessor-changes' && { replyTo: `${manifest.objectionContact.name} <${manifest.objectionContact.email}>` }),
      subject,
      text,
      headers: { ...(await unsubscribeHeaders(env, site.origin, delivery.recipientId)), 'Content-Language': facts.lang },
      messageId: `${delivery.id}@${site.hostname}`,
    });
    return { ok: true, messageId };
  } catch (error) {
    if (error instanceof MailTransportError) return { ok: false, retryable: error.retryable, error: `${error.code ?? 'network'}: ${error.message}` };
    // Missing configuration is fixed by an operator, not by the recipient: keep retrying.
    if (error instanceof MailNotConfiguredError) return { ok: false, retryable: true, error: error.message };
    throw error;
  }
}
