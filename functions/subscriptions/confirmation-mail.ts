import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
import { t, tf } from '../../src/i18n/ui.ts';
import type { Lang } from '../../src/lib/paths.ts';
import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { MailMessage } from '../mail/message.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';
import { formatRetentionPeriod } from '../../src/i18n/period.ts';
import type { RetentionPeriod } from '../../src/domain/retention.ts';

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
  /** How long an unconfirmed sign-up is kept: the privacy notice's period (manifest `retention`). */
  retention: Pick<RetentionPeriod, 'amount' | 'unit'>;
}

/**
 * The double opt-in mail: what was requested, the link, when it expires, what happens if it
 * is ignored. No advertising and no tracking, as a request for consent must be (UWG § 7).
 */
export function confirmationMail(input: ConfirmationMailInput): MailMessage {
  const { lang } = input;
  const topics = input.topics.map((topic) => topicLabel(lang, topic));
  const subject = tf(lang, 'subscriptionMailConfirmSubject', { vendor: input.vendor });
  const intro = tf(lang, 'subscriptionMailConfirmIntro', { vendor: input.vendor });
  const action = tf(lang, 'subscriptionMailConfirmAction', { hours: input.expiresHours });
  const ignore = tf(lang, 'subscriptionMailConfirmIgnore', { retention: formatRetentionPeriod(input.retention, lang) });
  const text = [intro, topics.map((topic) => `- ${topic}`).join('\n'), action, input.confirmUrl, ignore].join('\n\n');
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${topics.map((topic) => `<li>${escapeHtml(topic)}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(action)}</p>`,
    `<p><a href="${escapeHtml(input.confirmUrl)}">${escapeHtml(t(lang, 'subscriptionMailConfirmLink'))}</a></p>`,
    `<p>${escapeHtml(ignore)}</p>`,
    '</body></html>',
  ].join('\n');
  return { from: input.from, to: input.to, subject, text, html, headers: { 'Content-Language': lang, 'Auto-Submitted': 'auto-generated' } };
}
