import { encodeMail, type EncodedMail } from './encoded-mail.ts';
import { envelopeAddress, type MailMessage } from './message.ts';
import { openSmtpSession, smtpSend, type SmtpConfig, type SmtpEnvelope } from './smtp.ts';
import { MailNotConfiguredError } from './transport-error.ts';

export { MailNotConfiguredError, MailTransportError } from './transport-error.ts';

/** Sends one message; resolves with its Message-ID once the server accepted it. */
export interface MailTransport {
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** One connection for many messages, sent one after another (see SmtpSession for failures). */
  openSession(): Promise<MailSession>;
}

export interface MailSession {
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** Sends `take()`'s mails until it returns undefined; `done` once per mail (see SmtpSession.sendEach). */
  sendEach(take: () => EncodedMail | undefined, done: (mail: EncodedMail, outcome: { messageId: string } | { error: unknown }) => void): Promise<void>;
  close(): Promise<void>;
}

const SECURITY = ['none', 'starttls', 'tls'] as const;

/**
 * The transport configured by the vars SMTP_HOST, SMTP_PORT, SMTP_SECURITY (none | starttls |
 * tls), SMTP_USER and the secret SMTP_PASSWORD. SMTP because it is the one protocol both the
 * local sink and every provider (including Cloudflare Email Service's SMTP submission) speak, so
 * the code path tested locally is the one production runs. Port 25 is blocked on Cloudflare;
 * use 587 (starttls) or 465 (tls).
 */
export function mailTransport(env: Env): MailTransport {
  const config = smtpConfig(env);
  return {
    async send(message) {
      const { messageId, envelope } = encodeMail(message);
      await smtpSend(config, envelope);
      return { messageId };
    },
    async openSession() {
      const session = await openSmtpSession(config);
      return {
        async send(message) {
          const { messageId, envelope } = encodeMail(message);
          await session.send(envelope);
          return { messageId };
        },
        async sendEach(take, done) {
          const taken = new Map<SmtpEnvelope, EncodedMail>();
          const takeEnvelope = (): SmtpEnvelope | undefined => {
            const mail = take();
            if (mail) taken.set(mail.envelope, mail);
            return mail?.envelope;
          };
          await session.sendEach(takeEnvelope, (envelope, outcome) => {
            const mail = taken.get(envelope)!;
            taken.delete(envelope);
            done(mail, 'error' in outcome ? { error: outcome.error } : { messageId: mail.messageId });
          });
        },
        close: () => session.close(),
      };
    },
  };
}

/** The sender of every mail (var MAIL_FROM), e.g. `Wolkenwerk Trust Center <trust@wolkenwerk.example>`. */
export function mailFrom(env: Env): string {
  const from = env.MAIL_FROM?.trim();
  if (!from) throw new MailNotConfiguredError('MAIL_FROM is not set');
  return from;
}

export function smtpConfig(env: Env): SmtpConfig {
  const host = env.SMTP_HOST?.trim();
  if (!host) throw new MailNotConfiguredError('SMTP_HOST is not set');
  const wanted = env.SMTP_SECURITY?.trim() || 'starttls';
  const security = SECURITY.find((option) => option === wanted);
  if (security === undefined) throw new MailNotConfiguredError(`SMTP_SECURITY must be one of ${SECURITY.join(', ')}`);
  const port = Number(env.SMTP_PORT || (security === 'tls' ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MailNotConfiguredError('SMTP_PORT must be a TCP port');
  const user = env.SMTP_USER?.trim() || undefined;
  const password = env.SMTP_PASSWORD || undefined;
  return {
    host,
    port,
    security,
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    heloName: envelopeAddress(mailFrom(env)).split('@')[1] ?? 'localhost',
    timeoutMs: 15_000,
  };
}
