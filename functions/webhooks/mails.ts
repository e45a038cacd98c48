import type { Manifest } from '../../src/domain/manifest.ts';
import type { NoticeTopic } from '../../src/domain/notice-topics.ts';
import { t, tf } from '../../src/i18n/ui.ts';
import { topicLabel } from '../../src/lib/topic-labels.ts';
import type { Lang } from '../../src/schemas/lang.ts';
import type { WebhookEndpoint } from './store.ts';

/**
 * Text someone else typed (the URL), set apart so it cannot pass for the vendor's own words: on
 * its own line, indented and in angle brackets. The URL is canonical and free of control
 * characters (checkWebhookUrl), so it is one line that cannot start a paragraph of its own.
 */
const quoted = (text: string) => `    <${text}>`;

/** Subject and text of the owner's confirmation mail; no advertising, one link. Text from src/i18n. */
export function confirmationMail(manifest: Manifest, endpoint: { url: string; topics: readonly NoticeTopic[]; lang: Lang }, confirmUrl: string): { subject: string; text: string } {
  const { lang } = endpoint;
  const vendor = { vendor: manifest.vendor };
  return {
    subject: tf(lang, 'webhookMailConfirmSubject', vendor),
    text: [
      tf(lang, 'webhookMailConfirmIntro', vendor),
      '',
      t(lang, 'webhookMailUrlLabel'),
      quoted(endpoint.url),
      `${t(lang, 'webhookTopics')}: ${endpoint.topics.map((topic) => topicLabel(lang, topic)).join(', ')}`,
      '',
      t(lang, 'webhookMailConfirmAction'),
      confirmUrl,
      '',
      t(lang, 'webhookMailConfirmFooter'),
      '',
    ].join('\n'),
  };
}

/** Tells the owner that deliveries stopped and why. */
export function endpointDisabledMail(manifest: Manifest, endpoint: WebhookEndpoint, reason: 'gone' | 'failing'): { subject: string; text: string } {
  const { lang } = endpoint;
  const vendor = { vendor: manifest.vendor };
  return {
    subject: tf(lang, 'webhookMailDisabledSubject', vendor),
    text: [
      tf(lang, 'webhookMailDisabledIntro', vendor),
      quoted(endpoint.url),
      t(lang, reason === 'gone' ? 'webhookMailDisabledGone' : 'webhookMailDisabledFailing'),
      endpoint.disabledReason ?? '',
      '',
      t(lang, 'webhookMailDisabledAgain'),
      '',
    ].join('\n'),
  };
}
