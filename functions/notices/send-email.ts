import type { Manifest } from '../../src/domain/manifest.ts';
import type { EncodedMail } from '../mail/encoded-mail.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, MailTransportError, type MailSession } from '../mail/transport.ts';
import { confirmedSubscriberIds } from '../subscriptions/store.ts';
import type { AttemptResult, ClaimedNotice } from './consumer.ts';
import { noticeConfig } from './config.ts';
import { noticeMailEncoder } from './notice-mail-encoder.ts';

type Opened = { session: MailSession } | { error: unknown };

/**
 * The email notices of one queue batch, each to one subscriber, over a few reused SMTP
 * connections; one result per notice, in order. The connections are opened first, so their
 * handshakes overlap the subscriber check and the composing. Each event's mail is composed and
 * encoded once per language and receipt day; a mail then only adds its recipient's address,
 * Message-ID and unsubscribe link. The Message-ID is derived from the delivery id, so a notice
 * that has to be sent again (its first hand-over was never confirmed) carries the same id and
 * mail clients show it once.
 */
export async function sendEmailNotices(env: Env, manifest: Manifest, notices: ClaimedNotice[], lap: (step: 'check' | 'compose' | 'connect') => void = () => {}): Promise<AttemptResult[]> {
  if (notices.length === 0) return [];
  const results: AttemptResult[] = new Array(notices.length);
  let openings: Promise<Opened>[];
  try {
    const transport = mailTransport(env);
    openings = Array.from({ length: Math.min(noticeConfig(env).smtpConnections, notices.length) }, () => transport.openSession().then((session) => ({ session }), (error: unknown) => ({ error })));
  } catch (error) {
    // Not configured: every mail fails with that reason (after the unsubscribed are sorted out).
    openings = [Promise.resolve({ error })];
  }
  let mails: { index: number; mail: EncodedMail }[] = [];
  try {
    mails = await composeMails(env, manifest, notices, results, lap);
  } finally {
    // Connections with nothing to send (every recipient unsubscribed) are closed unused.
    if (mails.length === 0) await Promise.all(openings.map(async (opening) => { const opened = await opening; if ('session' in opened) await opened.session.close(); }));
  }

  // Each connection takes the next mail as soon as it is done with one; a connection that
  // breaks stops taking mails and leaves them to the others.
  let next = 0;
  const byMail = new Map(mails.map(({ index, mail }) => [mail, index]));
  let connectionFailure: AttemptResult | undefined;
  const connection = async (opening: Promise<Opened>) => {
    const opened = await opening;
    if ('error' in opened) {
      connectionFailure = failure(opened.error);
      return;
    }
    const { session } = opened;
    try {
      await session.sendEach(
        () => mails[next++]?.mail,
        (mail, outcome) => {
          const index = byMail.get(mail)!;
          results[index] = 'error' in outcome ? failure(outcome.error) : { ok: true, messageId: outcome.messageId };
          if ('error' in outcome && outcome.error instanceof MailTransportError && outcome.error.code === null) connectionFailure = results[index];
        },
      );
    } finally {
      await session.close();
    }
  };
  if (mails.length > 0) {
    await Promise.all(openings);
    lap('connect');
    await Promise.all(openings.map(connection));
  }
  // Mails no connection got to (all of them failed): tried again later, like any transport failure.
  for (const { index } of mails) results[index] ??= connectionFailure ?? { ok: false, retryable: true, error: 'network: not sent, no SMTP connection' };
  return results;
}

/**
 * The mails to send, encoded; a notice that is not to be sent (the subscriber left, composing
 * failed) gets its result in `results` instead.
 */
async function composeMails(env: Env, manifest: Manifest, notices: ClaimedNotice[], results: AttemptResult[], lap: (step: 'check' | 'compose') => void): Promise<{ index: number; mail: EncodedMail }[]> {
  // Someone who unsubscribed after the fan-out must not get the notice anyway.
  const confirmed = await confirmedSubscriberIds(env.DB, notices.map((notice) => notice.delivery.recipientId));
  lap('check');
  const mails: { index: number; mail: EncodedMail }[] = [];
  let encode: ((notice: ClaimedNotice) => Promise<EncodedMail>) | undefined;
  for (const [index, notice] of notices.entries()) {
    if (!confirmed.has(notice.delivery.recipientId)) {
      results[index] = { ok: false, retryable: false, error: 'the subscriber unsubscribed before the notice was sent' };
      continue;
    }
    try {
      encode ??= noticeMailEncoder(env, manifest, mailFrom(env));
      mails.push({ index, mail: await encode(notice) });
    } catch (error) {
      results[index] = failure(error);
    }
  }
  lap('compose');
  return mails;
}

function failure(error: unknown): Extract<AttemptResult, { ok: false }> {
  if (error instanceof MailTransportError) return { ok: false, retryable: error.retryable, error: `${error.code ?? 'network'}: ${error.message}` };
  // Missing configuration is fixed by an operator, not by the recipient: keep retrying.
  if (error instanceof MailNotConfiguredError) return { ok: false, retryable: true, error: error.message };
  console.error('composing or sending a notice mail failed unexpectedly', error);
  return { ok: false, retryable: true, error: `unexpected: ${error instanceof Error ? error.message : String(error)}` };
}
