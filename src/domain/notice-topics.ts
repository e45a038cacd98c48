import { z } from 'zod';

/**
 * What a subscriber can be told about, one topic per kind of published change. The same names
 * appear in the subscribe form, the subscriptions table and the dispatcher.
 */
export const NOTICE_TOPICS = ['subprocessor-changes', 'avv-versions', 'toms-updates'] as const;

/** One topic. Example: "subprocessor-changes". */
export const NoticeTopicSchema = z.enum(NOTICE_TOPICS);

export type NoticeTopic = z.output<typeof NoticeTopicSchema>;
