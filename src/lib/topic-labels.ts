import type { NoticeTopic } from '../domain/notice-topics.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import type { Lang } from './paths.ts';

const TOPIC_LABELS: Record<NoticeTopic, UiKey> = {
  'subprocessor-changes': 'topicSubprocessorChanges',
  'avv-versions': 'topicAvvVersions',
  'toms-updates': 'topicTomsUpdates',
};

/** A topic's name as readers see it, on pages and in mails. */
export function topicLabel(lang: Lang, topic: NoticeTopic): string {
  return t(lang, TOPIC_LABELS[topic]);
}
