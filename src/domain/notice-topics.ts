import { z } from 'zod';

/**
 * What a subscriber can be told about, one topic per kind of published change. The same names
 * appear in the subscribe form, the subscriptions table and the dispatcher.
 */
export const NOTICE_TOPICS = ['subprocessor-changes', 'avv-versions', 'toms-updates'] as const;

/** One topic. Example: "subprocessor-changes". */
export const NoticeTopicSchema = z.enum(NOTICE_TOPICS);

export type NoticeTopic = z.output<typeof NoticeTopicSchema>;

/**
 * A list of topics as the stores keep it in a TEXT column (JSON array), parsed: a row whose
 * topics are not valid JSON or name an unknown topic fails loudly instead of being guessed.
 */
export const NoticeTopicsJsonSchema = z.string().transform((text, context) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = z.array(NoticeTopicSchema).safeParse(value);
  if (!parsed.success) {
    context.addIssue({ code: 'custom', message: 'stored topics are not valid' });
    return z.NEVER;
  }
  return parsed.data;
});
