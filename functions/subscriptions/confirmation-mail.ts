import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
import type { Lang } from '../../src/lib/paths.ts';
import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { MailMessage } from '../mail/message.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';

export interface ConfirmationMailInput {
  from: string;
  to: string;
  lang: Lang;
  /** Vendor name, e.g. "Wolkenwerk". */
  vendor: string;
  topics: NoticeTopic[];
  /** Absolute URL of the confirmation page with the token. */
  confirmUrl: string;
  expiresHours: number;
  retentionHours: number;
}

/**
 * The double opt-in mail: what was requested, the link, when it expires, what happens if it
 * is ignored. No advertising and no tracking, as a request for consent must be (UWG § 7).
 */
export function confirmationMail(input: ConfirmationMailInput): MailMessage {
  const de = input.lang === 'de';
  const topics = input.topics.map((topic) => topicLabel(input.lang, topic));
  const subject = de ? `Bitte bestätigen Sie Ihr Abonnement – ${input.vendor} Trust Center` : `Please confirm your subscription – ${input.vendor} Trust Center`;
  const paragraphs = de
    ? [
        `Jemand – hoffentlich Sie – hat diese Adresse für E-Mail-Benachrichtigungen des ${input.vendor} Trust Centers angemeldet, zu diesen Themen:`,
        topics.map((topic) => `- ${topic}`).join('\n'),
        `Bitte bestätigen Sie die Anmeldung innerhalb von ${input.expiresHours} Stunden über diesen Link:`,
        input.confirmUrl,
        `Wenn Sie das nicht waren, ignorieren Sie diese Mail. Ohne Bestätigung erhalten Sie keine weiteren Mails, und die Anmeldung wird nach ${input.retentionHours} Stunden gelöscht.`,
      ]
    : [
        `Someone – hopefully you – signed this address up for email notices from the ${input.vendor} Trust Center, on these topics:`,
        topics.map((topic) => `- ${topic}`).join('\n'),
        `Please confirm within ${input.expiresHours} hours using this link:`,
        input.confirmUrl,
        `If this was not you, ignore this mail. Without confirmation you get no further mail, and the sign-up is deleted after ${input.retentionHours} hours.`,
      ];
  const html = [
    `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(paragraphs[0]!)}</p>`,
    `<ul>${topics.map((topic) => `<li>${escapeHtml(topic)}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(paragraphs[2]!)}</p>`,
    `<p><a href="${escapeHtml(input.confirmUrl)}">${de ? 'Abonnement bestätigen' : 'Confirm subscription'}</a></p>`,
    `<p>${escapeHtml(paragraphs[4]!)}</p>`,
    '</body></html>',
  ].join('\n');
  return { from: input.from, to: input.to, subject, text: paragraphs.join('\n\n'), html, headers: { 'Content-Language': input.lang, 'Auto-Submitted': 'auto-generated' } };
}
