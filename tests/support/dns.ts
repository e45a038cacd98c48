import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a DNS-over-HTTPS resolver (the JSON API of cloudflare-dns.com), so the
 * Worker's SSRF guard resolves names without network. `records` maps a name to its addresses
 * (IPv4 ones answer type A, IPv6 ones AAAA); other names are NXDOMAIN. Pass `url` as the
 * Worker's DNS_OVER_HTTPS_URL.
 */
export async function startDnsOverHttps(records: Record<string, string[]>): Promise<{ url: string; queries: string[]; close(): Promise<void> }> {
  const queries: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://resolver');
    const name = (url.searchParams.get('name') ?? '').toLowerCase();
    const type = url.searchParams.get('type') === 'AAAA' ? 28 : 1;
    queries.push(`${name} ${type === 1 ? 'A' : 'AAAA'}`);
    const addresses = records[name];
    const answer = (addresses ?? []).filter((address) => (type === 28) === address.includes(':')).map((data) => ({ name, type, TTL: 60, data }));
    response.setHeader('content-type', 'application/dns-json');
    response.end(JSON.stringify({ Status: addresses ? 0 : 3, Answer: answer }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/dns-query`, queries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the webhook tests' public names resolve to (documentation-free public addresses). */
export const PUBLIC_RECORDS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  // A public-looking name that points at loopback: the DNS-based SSRF the guard must refuse.
  'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'v6-loopback.example.com': ['::1'],
};
