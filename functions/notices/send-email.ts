import type { Manifest } from '../../src/domain/manifest.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, MailTransportError, type MailSession } from '../mail/transport.ts';
import type { MailMessage } from '../mail/message.ts';
import { confirmedSubscriberIds } from '../subscriptions/store.ts';
import { unsubscribeHeadersFor, unsubscribeUrl } from '../subscriptions/unsubscribe.ts';
import type { AttemptResult, ClaimedNotice } from './consumer.ts';
import { noticeMailText } from './notice-content.ts';

/**
 * SMTP connections per queue batch, each pipelining its mails (one round trip per mail). Six is
 * what a Worker invocation may have connecting at once (Workers limits: simultaneous open
 * connections); more would only queue there and run into providers' per-account limits.
 */
const CONNECTIONS_PER_BATCH = 6;

/**
 * The email notices of one queue batch, each to one subscriber, over a few reused SMTP
 * connections; one result per notice, in order. The Message-ID is derived from the delivery
 * id, so a notice that has to be sent again (its first hand-over was never confirmed) carries
 * the same id and mail clients show it once.
 */
export async function sendEmailNotices(env: Env, manifest: Manifest, notices: ClaimedNotice[]): Promise<AttemptResult[]> {
  if (notices.length === 0) return [];
  const site = new URL(manifest.siteUrl);
  // Someone who unsubscribed after the fan-out must not get the notice anyway.
  const confirmed = await confirmedSubscriberIds(env.DB, notices.map((notice) => notice.delivery.recipientId));
  const results: AttemptResult[] = new Array(notices.length);
  const mails: { index: number; message: MailMessage }[] = [];
  for (const [index, { event, delivery, facts }] of notices.entries()) {
    if (!confirmed.has(delivery.recipientId)) {
      results[index] = { ok: false, retryable: false, error: 'the subscriber unsubscribed before the notice was sent' };
      continue;
    }
    try {
      const unsubscribe = await unsubscribeUrl(env, site.origin, delivery.recipientId);
      const { subject, text } = noticeMailText(manifest, event, facts, unsubscribe);
      mails.push({
        index,
        message: {
          from: mailFrom(env),
          to: delivery.recipientAddress,
          // Replying to a change notice is objecting: the answer goes to whoever receives objections.
          ...(event.topic === 'subprocessor-changes' && { replyTo: `${manifest.declarationContact.name} <${manifest.declarationContact.email}>` }),
          subject,
          text,
          headers: { ...unsubscribeHeadersFor(unsubscribe), 'Content-Language': facts.lang },
          messageId: `${delivery.id}@${site.hostname}`,
        },
      });
    } catch (error) {
      results[index] = failure(error);
    }
  }

  // Each connection takes the next mail as soon as it is done with one; a connection that
  // breaks stops taking mails and leaves them to the others.
  let next = 0;
  const byMessage = new Map(mails.map((mail) => [mail.message, mail.index]));
  let connectionFailure: AttemptResult | undefined;
  const connection = async () => {
    let session: MailSession;
    try {
      session = await mailTransport(env).openSession();
    } catch (error) {
      connectionFailure = failure(error);
      return;
    }
    try {
      await session.sendEach(
        () => mails[next++]?.message,
        (message, outcome) => {
          const index = byMessage.get(message)!;
          results[index] = 'error' in outcome ? failure(outcome.error) : { ok: true, messageId: outcome.messageId };
          if ('error' in outcome && outcome.error instanceof MailTransportError && outcome.error.code === null) connectionFailure = results[index];
        },
      );
    } finally {
      await session.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS_PER_BATCH, mails.length) }, connection));
  // Mails no connection got to (all of them failed): tried again later, like any transport failure.
  for (const { index } of mails) results[index] ??= connectionFailure ?? { ok: false, retryable: true, error: 'network: not sent, no SMTP connection' };
  return results;
}

function failure(error: unknown): Extract<AttemptResult, { ok: false }> {
  if (error instanceof MailTransportError) return { ok: false, retryable: error.retryable, error: `${error.code ?? 'network'}: ${error.message}` };
  // Missing configuration is fixed by an operator, not by the recipient: keep retrying.
  if (error instanceof MailNotConfiguredError) return { ok: false, retryable: true, error: error.message };
  console.error('composing or sending a notice mail failed unexpectedly', error);
  return { ok: false, retryable: true, error: `unexpected: ${error instanceof Error ? error.message : String(error)}` };
}
