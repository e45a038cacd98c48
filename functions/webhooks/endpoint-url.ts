import { z } from 'zod';
import { checkResolvedAddresses, checkWebhookUrl } from '../../src/domain/webhook-url.ts';
import { noticeConfig } from '../notices/config.ts';

/** Cloudflare's public resolver; DNS_OVER_HTTPS_URL points elsewhere (the tests: a local one). */
const DEFAULT_RESOLVER = 'https://cloudflare-dns.com/dns-query';

/** The part of a DNS JSON answer (RFC 8427 style, as Cloudflare and Google serve it) we read. */
const DnsJsonAnswer = z.object({
  Status: z.number(),
  Answer: z.array(z.object({ type: z.number(), data: z.string() })).optional(),
});

export type EndpointCheck = { ok: true; url: URL } | { ok: false; reason: string; retryable: boolean };

/**
 * The full SSRF guard for a webhook URL: the syntax rules of `checkWebhookUrl`, then — for a
 * host name — its A and AAAA records by DNS over HTTPS, every one of which must be public.
 * Why resolve ourselves: Workers' fetch() resolves names on its own and gives no hook to pin or
 * see the address, and although Cloudflare's edge does not route Worker subrequests into
 * private networks (workerd's default outbound network is "public" only), wrangler dev and
 * self-hosted workerd do; and a name pointing at 127.0.0.1 or 169.254.169.254 is refused
 * explicitly and early rather than left to the platform. The check runs at registration and
 * again before every delivery (names can be re-pointed after registration).
 */
export async function checkEndpointUrl(env: Env, input: string): Promise<EndpointCheck> {
  const check = checkWebhookUrl(input, { development: noticeConfig(env).development });
  if (!check.ok) return { ...check, retryable: false };
  if (!check.needsResolution) return { ok: true, url: check.url };
  let addresses: string[];
  try {
    addresses = await resolve(env, check.url.hostname);
  } catch (error) {
    return { ok: false, reason: `the host name could not be resolved (${error instanceof Error ? error.message : String(error)}); try again later`, retryable: true };
  }
  const resolved = checkResolvedAddresses(addresses);
  return resolved.ok ? { ok: true, url: check.url } : { ok: false, reason: resolved.reason, retryable: false };
}

/** Every A and AAAA address of `host` (CNAME chains are followed by the resolver). */
async function resolve(env: Env, host: string): Promise<string[]> {
  const resolver = env.DNS_OVER_HTTPS_URL || DEFAULT_RESOLVER;
  const answers = await Promise.all(
    [['A', 1], ['AAAA', 28]].map(async ([type, code]) => {
      const url = new URL(resolver);
      url.searchParams.set('name', host);
      url.searchParams.set('type', String(type));
      const response = await fetch(url, { headers: { accept: 'application/dns-json' }, signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`resolver answered HTTP ${response.status}`);
      const answer = DnsJsonAnswer.parse(await response.json());
      // 3 = NXDOMAIN: no addresses, which checkResolvedAddresses refuses.
      if (answer.Status !== 0 && answer.Status !== 3) throw new Error(`resolver status ${answer.Status}`);
      return (answer.Answer ?? []).filter((record) => record.type === code).map((record) => record.data);
    }),
  );
  return answers.flat();
}
