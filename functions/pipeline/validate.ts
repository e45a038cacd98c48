import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { problemType } from '../lib/problem-types.ts';
import { problem, type InvalidParam } from '../problem.ts';
import { isJsonBody, wantsJson } from './body.ts';

/** What the validation hook sees of any route: the bindings and untyped variables. */
type HookEnv = { Bindings: Env; Variables: Record<string, unknown> };

/**
 * How an endpoint answers a browser's form post with invalid fields: with its page, filled in
 * as typed (functions/lib/refill-form.ts). `values` are the posted fields as read.
 */
export type FormPage = (c: Context<HookEnv>, invalid: string[], values: Record<string, unknown>) => Response | Promise<Response>;

export interface InvalidOptions {
  /** problem `type` name, e.g. "invalid-submission". */
  type?: string;
  /** problem `title`, e.g. "Invalid acceptance". */
  title?: string;
  /** Form posts get their page back, filled in, instead of problem+json. */
  formPage?: FormPage;
  /** Pages (not API answers) answer invalid input with this HTML page, status 400. */
  invalidPage?: (c: Context) => Response | Promise<Response>;
}

/** One entry per field (the first reason given for it), in the order zod reports them. */
export function invalidParamsOf(error: z.core.$ZodError): InvalidParam[] {
  const params = new Map<string, string>();
  for (const issue of error.issues) {
    const name = issue.path.map(String).join('.') || '(body)';
    if (!params.has(name)) params.set(name, issue.message);
  }
  return [...params].map(([name, reason]) => ({ name, reason }));
}

/**
 * THE answer to input that fails its schema, for every endpoint: 400 problem+json naming each
 * field, or for a form post without JavaScript its page again (400) with the errors shown.
 */
export function invalidInput(c: Context<HookEnv>, error: z.core.$ZodError, options: InvalidOptions, raw: unknown): Response | Promise<Response> {
  const params = invalidParamsOf(error);
  if (options.invalidPage && !wantsJson(c)) return options.invalidPage(c);
  if (options.formPage && !wantsJson(c)) {
    // The page marks form fields, so it is told their names (`topics`, not `topics.0`).
    const values = typeof raw === 'object' && raw !== null ? Object.fromEntries(Object.entries(raw)) : {};
    return options.formPage(c, [...new Set(params.map((param) => param.name.split('.')[0]!))], values);
  }
  return problem(c, 400, options.title ?? 'Invalid request', {
    type: problemType(options.type ?? 'invalid-request'),
    detail: `Please correct: ${params.map((param) => `${param.name} (${param.reason})`).join('; ')}.`,
    invalidParams: params,
    // `errors` (field/message) is what the accept page's script reads; kept for it.
    extensions: { errors: params.map((param) => ({ field: param.name, message: param.reason })) },
  });
}

export type Validated<Key extends string, Schema extends z.ZodType> = { Bindings: Env; Variables: { [K in Key]: z.output<Schema> } };

/**
 * zod-validator's middleware is typed for Hono's input inference, which these routes do not
 * use (they read `c.var`); this bridge is the one place where that typing is set aside.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMiddleware = MiddlewareHandler<any>;

/**
 * Validates the body read by `readBody` (JSON or form, whichever the request declared) with
 * `schema` through @hono/zod-validator, and puts the result into `c.var.body`. `schema` may be
 * a function of the deployment's env (e.g. the webhook URL rules depend on ENVIRONMENT).
 */
export function validBody<Schema extends z.ZodType>(schema: Schema | ((env: Env) => Schema), options: InvalidOptions = {}): MiddlewareHandler<Validated<'body', Schema>> {
  const build = (target: 'json' | 'form', resolved: Schema): AnyMiddleware => zValidator(target, resolved, hook('body', options));
  if (typeof schema === 'function') return (c, next) => build(isJsonBody(c) ? 'json' : 'form', schema(c.env))(c, next);
  const json = build('json', schema);
  const form = build('form', schema);
  return (c, next) => (isJsonBody(c) ? json(c, next) : form(c, next));
}

/** Validates the query string with `schema` and puts the result into `c.var.query`. */
export function validQuery<Schema extends z.ZodType>(schema: Schema, options: InvalidOptions = {}): MiddlewareHandler<Validated<'query', Schema>> {
  const run: AnyMiddleware = zValidator('query', schema, hook('query', options));
  return run;
}

/** Validates request headers (names lower-case in `schema`) and puts them into `c.var.headers`. */
export function validHeaders<Schema extends z.ZodType>(schema: Schema, options: InvalidOptions = {}): MiddlewareHandler<Validated<'headers', Schema>> {
  const run: AnyMiddleware = zValidator('header', schema, hook('headers', options));
  return run;
}

/** The one hook: failures become `invalidInput`, the parsed value goes into `c.var[key]`. */
function hook(key: 'body' | 'query' | 'headers', options: InvalidOptions) {
  return (result: { success: boolean; data: unknown; error?: z.core.$ZodError }, c: Context<HookEnv>) => {
    if (!result.success) return invalidInput(c, result.error ?? new z.ZodError([]), options, result.data);
    c.set(key, result.data);
    return undefined;
  };
}
