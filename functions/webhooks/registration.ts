import { z } from 'zod';
import { CONFIRMATION_LINK_HOURS } from '../../src/domain/confirmation-links.ts';
import { NoticeTopicSchema } from '../../src/domain/notice-topics.ts';
import { checkEndpointUrl } from './endpoint-url.ts';

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

/**
 * The registration as this deployment accepts it: `url` must pass the SSRF guard (syntax, then
 * DNS) and becomes its canonical form, which is what is stored, mailed and delivered to.
 */
export function webhookRegistrationSchema(env: Env) {
  return WebhookRegistrationSchema.extend({
    url: WebhookRegistrationSchema.shape.url.transform(async (url, context) => {
      const check = await checkEndpointUrl(env, url);
      if (!check.ok) {
        context.addIssue({ code: 'custom', message: check.reason });
        return z.NEVER;
      }
      return check.url.href;
    }),
  });
}

/** How long the owner's confirmation link works. */
export const CONFIRM_TTL_HOURS = CONFIRMATION_LINK_HOURS;
export const CONFIRM_TTL_MS = CONFIRM_TTL_HOURS * 3600 * 1000;

/** The confirmation token in the owner's link: 256 bits, hex. */
export const WebhookTokenSchema = z.string({ error: 'is required' }).regex(/^[0-9a-f]{64}$/, { error: 'is not a confirmation token' });
