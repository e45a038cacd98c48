import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
import { t, tf } from '../../src/i18n/ui.ts';
import type { Lang } from '../../src/lib/paths.ts';
import type { MailMessage } from '../mail/message.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';

export interface WelcomeMailInput {
  from: string;
  to: string;
  lang: Lang;
  vendor: string;
  topics: NoticeTopic[];
  /** Absolute URL of the changes page. */
  changesUrl: string;
  /** The page that asks before unsubscribing (the visible link). */
  unsubscribePageUrl: string;
  /** List-Unsubscribe and List-Unsubscribe-Post, as every mail to a subscriber carries. */
  listHeaders: Record<string, string>;
}

/**
 * Sent once a sign-up is confirmed: says what was subscribed and how to leave again. It is the
 * first mail of the list, so it carries the list's one-click unsubscribe headers like every
 * notice after it.
 */
export function welcomeMail(input: WelcomeMailInput): MailMessage {
  const { lang } = input;
  const topics = input.topics.map((topic) => topicLabel(lang, topic));
  const subject = tf(lang, 'subscriptionMailWelcomeSubject', { vendor: input.vendor });
  const intro = t(lang, 'subscriptionMailWelcomeIntro');
  const allChanges = t(lang, 'subscriptionMailAllChanges');
  const leave = t(lang, 'subscriptionMailUnsubscribe');
  const text = [intro, topics.map((topic) => `- ${topic}`).join('\n'), `${allChanges}: ${input.changesUrl}`, `${leave}: ${input.unsubscribePageUrl}`].join('\n\n');
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${topics.map((topic) => `<li>${escapeHtml(topic)}</li>`).join('')}</ul>`,
    `<p><a href="${escapeHtml(input.changesUrl)}">${escapeHtml(allChanges)}</a></p>`,
    `<p><a href="${escapeHtml(input.unsubscribePageUrl)}">${escapeHtml(leave)}</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    from: input.from,
    to: input.to,
    subject,
    text,
    html,
    headers: { ...input.listHeaders, 'Content-Language': lang, 'Auto-Submitted': 'auto-generated' },
  };
}
