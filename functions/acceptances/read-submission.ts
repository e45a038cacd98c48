import type { Context } from 'hono';
import { problem } from '../problem.ts';
import { problemType } from '../lib/problem-types.ts';

export type SubmissionRead =
  | { ok: true; fields: Record<string, unknown>; json: boolean }
  | { ok: false; response: Response };

const ACCEPTED = 'application/json, application/x-www-form-urlencoded, multipart/form-data';

/**
 * The raw fields of POST /api/acceptances, from JSON or a form, not yet validated. JSON must be
 * declared as application/json: a cross-site HTML form can only send form types, so a JSON body
 * is never a forged form post. The Idempotency-Key header wins over the form field.
 */
export async function readSubmission(c: Context): Promise<SubmissionRead> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let fields: Record<string, unknown>;
  let json = false;
  if (type === 'application/json') {
    json = true;
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return { ok: false, response: problem(c, 400, 'Malformed JSON', { type: problemType('invalid-submission'), detail: 'The body is not valid JSON.' }) };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { ok: false, response: problem(c, 400, 'Malformed JSON', { type: problemType('invalid-submission'), detail: 'The body must be a JSON object with the form’s fields.' }) };
    }
    fields = { ...(body as Record<string, unknown>) };
  } else if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const form = await c.req.parseBody();
    // Files have no place in this form; as non-strings they fail validation naming the field.
    fields = Object.fromEntries(Object.entries(form).map(([name, value]) => [name, typeof value === 'string' ? value : { file: true }]));
  } else {
    return {
      ok: false,
      response: problem(
        c,
        415,
        'Unsupported media type',
        { type: problemType('unsupported-media-type'), detail: `Send the acceptance as ${ACCEPTED}.` },
        { 'accept-post': ACCEPTED },
      ),
    };
  }
  const header = c.req.header('idempotency-key');
  if (header !== undefined) fields.idempotencyKey = header;
  return { ok: true, fields, json };
}
