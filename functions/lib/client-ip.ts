import type { Context } from 'hono';

/** The client's address as Cloudflare's edge saw it (also set by wrangler dev); null in tests without it. */
export function clientIp(c: Context): string | null {
  return c.req.header('cf-connecting-ip') ?? null;
}
