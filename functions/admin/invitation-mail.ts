import type { Lang } from '../../src/lib/paths.ts';
import { formatDate, t, tf } from '../../src/i18n/ui.ts';
import { paragraphsHtml } from '../mail/html-body.ts';
import type { MailMessage } from '../mail/message.ts';

export interface InvitationMailInput {
  from: string;
  /** Where replies go: the vendor's contact for declarations (manifest). */
  replyTo: string;
  to: string;
  /** The signer's language, as they accepted. */
  lang: Lang;
  vendor: string;
  signerName: string;
  companyName: string;
  acceptedVersion: string;
  acceptedAt: string;
  version: string;
  effectiveDate: string;
  /** Absolute URL of the accept page in the signer's language. */
  acceptUrl: string;
}

/** The invitation to accept the AVV version in force, to the signer of an outdated acceptance. */
export function invitationMail(input: InvitationMailInput): MailMessage {
  const { lang } = input;
  const subject = tf(lang, 'invitationMailSubject', { version: input.version, vendor: input.vendor });
  const paragraphs = [
    tf(lang, 'invitationMailGreeting', { name: input.signerName }),
    tf(lang, 'invitationMailAccepted', { company: input.companyName, acceptedVersion: input.acceptedVersion, acceptedAt: input.acceptedAt, vendor: input.vendor }),
    tf(lang, 'invitationMailInForce', { version: input.version, effectiveDate: formatDate(input.effectiveDate, lang) }),
    tf(lang, 'invitationMailAction', { url: input.acceptUrl }),
    t(lang, 'invitationMailAutomatic'),
  ];
  const html = paragraphsHtml(subject, lang, paragraphs, { href: input.acceptUrl, text: t(lang, 'invitationMailButton') });
  return {
    from: input.from,
    to: input.to,
    replyTo: input.replyTo,
    subject,
    text: paragraphs.join('\n\n'),
    html,
    headers: { 'Content-Language': lang, 'Auto-Submitted': 'auto-generated' },
  };
}
