import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
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
  const de = input.lang === 'de';
  const topics = input.topics.map((topic) => topicLabel(input.lang, topic));
  const subject = de ? `Abonnement bestätigt – ${input.vendor} Trust Center` : `Subscription confirmed – ${input.vendor} Trust Center`;
  const intro = de
    ? `Ihr Abonnement ist bestätigt. Sie erhalten eine E-Mail, sobald wir eine Änderung zu diesen Themen ankündigen:`
    : `Your subscription is confirmed. You will get an email as soon as we announce a change on these topics:`;
  const changes = de ? `Alle angekündigten Änderungen: ${input.changesUrl}` : `All announced changes: ${input.changesUrl}`;
  const leave = de ? `Abmelden: ${input.unsubscribePageUrl}` : `Unsubscribe: ${input.unsubscribePageUrl}`;
  const text = [intro, topics.map((topic) => `- ${topic}`).join('\n'), changes, leave].join('\n\n');
  const html = [
    `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${topics.map((topic) => `<li>${escapeHtml(topic)}</li>`).join('')}</ul>`,
    `<p><a href="${escapeHtml(input.changesUrl)}">${de ? 'Alle angekündigten Änderungen' : 'All announced changes'}</a></p>`,
    `<p><a href="${escapeHtml(input.unsubscribePageUrl)}">${de ? 'Abmelden' : 'Unsubscribe'}</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    from: input.from,
    to: input.to,
    subject,
    text,
    html,
    headers: { ...input.listHeaders, 'Content-Language': input.lang, 'Auto-Submitted': 'auto-generated' },
  };
}
