import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem } from '../problem.ts';
import { problemType } from './problem-types.ts';

/**
 * Refuses bodies over `maxBytes` with 413: by Content-Length before reading, and by counting
 * while streaming when the length is missing or wrong (Hono's bodyLimit does both).
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problem(c, 413, 'Request body too large', {
        type: problemType('payload-too-large'),
        detail: `The body may be at most ${maxBytes} bytes.`,
      }),
  });
}
