import type { Context } from 'hono';
import { z } from 'zod';
import { NoticeTopicSchema, NOTICE_TOPICS } from '../../src/domain/notice-topics.ts';
import { SUBSCRIPTION_WORDING_VERSIONS } from '../../src/domain/subscription-wording.ts';
import { problemType } from '../lib/problem-types.ts';
import { problem } from '../problem.ts';

/** POST /api/subscriptions, from the form or as JSON. */
export const SubscriptionRequestSchema = z.object({
  /** The address to notify. Example: "privacy@customer.example". */
  email: z.email({ message: 'must be a valid email address' }).max(254, { message: 'must be at most 254 characters' }),
  /** What to be told about; at least one. Example: ["subprocessor-changes"]. */
  topics: z
    .array(NoticeTopicSchema, { message: `must be a list of ${NOTICE_TOPICS.join(', ')}` })
    .min(1, { message: 'choose at least one topic' })
    .transform((topics) => NOTICE_TOPICS.filter((topic) => topics.includes(topic))),
  /** Language of the mails: "de" or "en". */
  lang: z.enum(['de', 'en'], { message: 'must be de or en' }),
  /** Version of the consent wording the person was shown (the form sends it). */
  wordingVersion: z.enum(SUBSCRIPTION_WORDING_VERSIONS, { message: `must be one of ${SUBSCRIPTION_WORDING_VERSIONS.join(', ')}` }),
});

export type SubscriptionRequest = z.output<typeof SubscriptionRequestSchema>;

export type RequestRead = { ok: true; fields: Record<string, unknown>; json: boolean } | { ok: false; response: Response };

const ACCEPTED = 'application/json, application/x-www-form-urlencoded, multipart/form-data';

/**
 * The raw fields, not yet validated. Form checkboxes repeat `topics`, so form values are read
 * with `all` and `topics` is always a list; a JSON body must be declared as application/json (a
 * cross-site form cannot send that type).
 */
export async function readSubscriptionRequest(c: Context): Promise<RequestRead> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return { ok: false, response: problem(c, 400, 'Malformed JSON', { type: problemType('invalid-subscription'), detail: 'The body is not valid JSON.' }) };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { ok: false, response: problem(c, 400, 'Malformed JSON', { type: problemType('invalid-subscription'), detail: 'The body must be a JSON object with email, topics, lang and wordingVersion.' }) };
    }
    return { ok: true, fields: { ...(body as Record<string, unknown>) }, json: true };
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const form = await c.req.parseBody({ all: true });
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(form)) {
      const values = (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : { file: true }));
      fields[name] = name === 'topics' ? values : values.length === 1 ? values[0] : values;
    }
    fields.topics ??= [];
    return { ok: true, fields, json: false };
  }
  return {
    ok: false,
    response: problem(c, 415, 'Unsupported media type', { type: problemType('unsupported-media-type'), detail: `Send the subscription as ${ACCEPTED}.` }, { 'accept-post': ACCEPTED }),
  };
}

/** Field errors as `invalidParams` (RFC 9457 extension used across the API). */
export function invalidParams(error: z.ZodError): Array<{ name: string; reason: string }> {
  return error.issues.map((issue) => ({ name: issue.path.length > 0 ? String(issue.path[0]) : '(body)', reason: issue.message }));
}
