import type { Context } from 'hono';
import { problem } from '../problem.ts';
import { problemType } from './problem-types.ts';

/** A catch-all handler for a path: 405 with the `Allow` header RFC 9110 requires. */
export function methodNotAllowed(...allowed: string[]) {
  return (c: Context) =>
    problem(
      c,
      405,
      'Method not allowed',
      { type: problemType('method-not-allowed'), detail: `${c.req.method} is not supported here; use ${allowed.join(' or ')}.` },
      { allow: allowed.join(', ') },
    );
}
