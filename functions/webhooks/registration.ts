import { z } from 'zod';
import { NoticeTopicSchema } from '../../src/domain/notice-topics.ts';

/** Body of `POST /api/webhooks`. */
export const WebhookRegistrationSchema = z.strictObject({
  /** Where notices are POSTed. Example: "https://hooks.example.com/trust-center". */
  url: z.string().min(1, 'required').max(2000, 'at most 2000 characters'),
  /** Topics to receive, at least one. Example: ["subprocessor-changes"]. */
  topics: z.array(NoticeTopicSchema).min(1, 'name at least one topic').max(3).transform((topics) => [...new Set(topics)]),
  /** Who confirms the registration and is told when the endpoint is disabled. */
  ownerEmail: z.email('not a valid email address').max(254),
  /** Language of the owner's mails and of the webhook payload's titles and links. */
  lang: z.enum(['de', 'en']).default('de'),
});
export type WebhookRegistration = z.output<typeof WebhookRegistrationSchema>;

/** How long the owner's confirmation link works. */
export const CONFIRM_TTL_MS = 48 * 3600 * 1000;
