import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One field that failed validation, as reported to clients. */
export interface InvalidParam {
  /** Dotted path of the field. Example: "email". */
  name: string;
  /** Why it is invalid. */
  reason: string;
}

/** RFC 9457 problem details; every 4xx/5xx of the API has this body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  invalidParams?: InvalidParam[];
}

/** What a caller may set besides status and title; `extensions` are extra members (RFC 9457 §3.2). */
export type ProblemExtra = Partial<Omit<ProblemDetails, 'status' | 'title'>> & { extensions?: Record<string, unknown> };

/** Answers with `application/problem+json`, the only error format the API uses. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  extra: ProblemExtra = {},
  headers: Record<string, string> = {},
): Response {
  const body: ProblemDetails & Record<string, unknown> = {
    ...extra.extensions,
    type: extra.type ?? 'about:blank',
    title,
    status,
    ...(extra.detail !== undefined && { detail: extra.detail }),
    instance: extra.instance ?? new URL(c.req.url).pathname,
    ...(extra.invalidParams !== undefined && { invalidParams: extra.invalidParams }),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}
