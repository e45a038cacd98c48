import { z } from 'zod';
import { NoticeTopicSchema, NOTICE_TOPICS } from '../../src/domain/notice-topics.ts';
import { SUBSCRIPTION_WORDING_VERSIONS } from '../../src/domain/subscription-wording.ts';

/** POST /api/subscriptions, from the form or as JSON. */
export const SubscriptionRequestSchema = z.object({
  /** The address to notify. Example: "privacy@customer.example". */
  email: z.email({ message: 'must be a valid email address' }).max(254, { message: 'must be at most 254 characters' }),
  /** What to be told about; at least one. Example: ["subprocessor-changes"]. */
  // A form repeats `topics` per ticked box: one box arrives as a single value, none as nothing.
  topics: z
    .preprocess(
      (value) => (value === undefined ? [] : typeof value === 'string' ? [value] : value),
      z.array(NoticeTopicSchema, { message: `must be a list of ${NOTICE_TOPICS.join(', ')}` }).min(1, { message: 'choose at least one topic' }),
    )
    .transform((topics) => NOTICE_TOPICS.filter((topic) => topics.includes(topic))),
  /** Language of the mails: "de" or "en". */
  lang: z.enum(['de', 'en'], { message: 'must be de or en' }),
  /** Version of the consent wording the person was shown (the form sends it). */
  wordingVersion: z.enum(SUBSCRIPTION_WORDING_VERSIONS, { message: `must be one of ${SUBSCRIPTION_WORDING_VERSIONS.join(', ')}` }),
});

export type SubscriptionRequest = z.output<typeof SubscriptionRequestSchema>;
