import type { Context, MiddlewareHandler } from 'hono';
import { problemType } from '../lib/problem-types.ts';
import { problem } from '../problem.ts';

/** The body kinds an endpoint takes: `json` (application/json) and `form` (urlencoded or multipart). */
export type BodyKind = 'json' | 'form';

const MEDIA_TYPES: Record<BodyKind, string[]> = {
  json: ['application/json'],
  form: ['application/x-www-form-urlencoded', 'multipart/form-data'],
};

/** The media type of a request, lower-cased and without parameters ("" when absent). */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether the request's body is JSON (as opposed to a form a browser posts). */
export function isJsonBody(c: Context): boolean {
  return mediaType(c) === 'application/json';
}

/**
 * Whether to answer with JSON: a JSON body, or a form sent by a script that asks for JSON.
 * Everything else is a browser's form post, which is answered with a page or a redirect.
 */
export function wantsJson(c: Context): boolean {
  return isJsonBody(c) || (c.req.header('accept') ?? '').includes('application/json');
}

/**
 * The one body reader of the API: refuses other media types (415 with Accept-Post), bodies
 * over `maxBytes` (413: by Content-Length before reading and by counting while streaming),
 * and bodies that do not parse (400: malformed JSON, a JSON value that is not an object, a
 * broken multipart body). It reads the stream once, bounded, and hands the bytes on as the
 * request body, so nothing after it can read more than `maxBytes`. JSON must be declared as application/json:
 * a cross-site HTML form cannot send that type, so a JSON body is never a forged form post.
 */
export function readBody(options: { maxBytes: number; kinds: BodyKind[] }): MiddlewareHandler {
  const accepted = options.kinds.flatMap((kind) => MEDIA_TYPES[kind]);
  const tooLarge = (c: Context) => problem(c, 413, 'Request body too large', { type: problemType('payload-too-large'), detail: `The body may be at most ${options.maxBytes} bytes.` });
  return async (c, next) => {
    const type = mediaType(c);
    if (!accepted.includes(type)) {
      return problem(
        c,
        415,
        'Unsupported media type',
        { type: problemType('unsupported-media-type'), detail: `Send the request body as ${accepted.join(', ')}.` },
        { 'accept-post': accepted.join(', ') },
      );
    }
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > options.maxBytes) return tooLarge(c);
    const bytes = await readAtMost(c.req.raw, options.maxBytes);
    if (bytes === null) return tooLarge(c);
    const parsed = await parse(c, type, bytes);
    if (typeof parsed === 'string') return problem(c, 400, 'Malformed request body', { type: problemType('malformed-body'), detail: parsed });
    // The stream is spent: what comes next (the Astro pages) reads these bytes.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    // The validator reads the body through Hono's cache: what was just read and parsed, not a
    // second read and parse of the same bytes. The bytes come first: Hono derives any other
    // reading (text, blob) from the first entry, so every reading stays these exact bytes.
    const cache = c.req.bodyCache as PromisedBodyCache;
    cache.arrayBuffer = Promise.resolve(bytes);
    if (parsed.text !== undefined) cache.text = Promise.resolve(parsed.text);
    if (parsed.formData !== undefined) cache.formData = Promise.resolve(parsed.formData);
    return next();
  };
}

/**
 * Hono's body cache as Hono itself uses it: its type names the values, but it stores and reads
 * promises of them (request.js `#cachedBody`, the validator's `await bodyCache.formData`).
 */
interface PromisedBodyCache {
  arrayBuffer?: Promise<ArrayBuffer>;
  text?: Promise<string>;
  formData?: Promise<FormData>;
}

/**
 * The body, counted while it streams (a missing or false Content-Length cannot get more past
 * the limit); null as soon as it exceeds `maxBytes`.
 */
async function readAtMost(request: Request, maxBytes: number): Promise<ArrayBuffer | null> {
  if (!request.body) return new ArrayBuffer(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined.buffer;
}

/**
 * The body parsed as its declared type (the JSON text, checked to be one object, or the form),
 * or why it cannot be: a string saying so.
 */
async function parse(c: Context, type: string, bytes: ArrayBuffer): Promise<{ text?: string; formData?: FormData } | string> {
  if (type === 'application/json') {
    let text: string;
    let value: unknown;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      value = JSON.parse(text);
    } catch {
      return 'The body is not valid UTF-8 JSON.';
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { text } : 'The body must be a JSON object.';
  }
  try {
    // The runtime's own parser, whose result the validator reads next; a broken boundary throws here.
    return { formData: await new Response(bytes, { headers: { 'content-type': c.req.header('content-type') ?? type } }).formData() };
  } catch {
    return type === 'multipart/form-data' ? 'The multipart body is malformed (boundary missing or wrong, or a part is incomplete).' : 'The form body is malformed.';
  }
}
