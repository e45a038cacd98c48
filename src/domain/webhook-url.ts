/**
 * Which URLs may receive webhooks. A webhook makes the Worker send requests to an address a
 * stranger typed in, so in production only public HTTPS hosts qualify (SSRF guard): no IP
 * literals on loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * multicast or reserved networks, and no names that only resolve inside a network. Workers
 * cannot reach private networks by DNS name anyway; this check makes the refusal explicit and
 * early. In development, `http://localhost` endpoints are allowed so a local receiver works.
 */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.intranet', '.lan', '.home.arpa', '.corp', '.private'];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function checkWebhookUrl(input: string, options: { development: boolean }): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (input.length > 2000) return { ok: false, reason: 'longer than 2000 characters' };
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  if (url.hash) return { ok: false, reason: 'must not contain a fragment' };
  const host = url.hostname.toLowerCase();
  if (options.development && LOCAL_HOSTS.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (host === 'localhost' || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return { ok: false, reason: 'must be a public host name' };
  const ipv4 = parseIpv4(host);
  if (ipv4) return isPublicIpv4(ipv4) ? { ok: true, url } : { ok: false, reason: 'must not point to a private, loopback or reserved address' };
  if (host.startsWith('[')) return isPublicIpv6(host.slice(1, -1)) ? { ok: true, url } : { ok: false, reason: 'must not point to a private, loopback or reserved address' };
  // A single label ("intranet") resolves only through a local search domain.
  if (!host.includes('.')) return { ok: false, reason: 'must be a fully qualified public host name' };
  return { ok: true, url };
}

/** The URL parser already turns 0x7f.1, 2130706433 and friends into dotted quads. */
function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function isPublicIpv4([a, b]: number[]): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === 0 || a === 10 || a === 127) return false; // "this network", private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT 100.64/10
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0) return false; // IETF protocol assignments and TEST-NET-1 (192.0.0/24, 192.0.2/24)
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51) return false; // TEST-NET-2
  if (a === 203 && b === 0) return false; // TEST-NET-3
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

function isPublicIpv6(literal: string): boolean {
  const address = literal.toLowerCase();
  if (address === '::' || address === '::1') return false;
  // IPv4-mapped / -translated addresses (::ffff:7f00:1) inherit the IPv4 verdict.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = Number.parseInt(mapped[1]!, 16);
    const low = Number.parseInt(mapped[2]!, 16);
    return isPublicIpv4([high >> 8, high & 255, low >> 8, low & 255]);
  }
  const first = Number.parseInt(address.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if (first === 0x2001 && address.startsWith('2001:db8:')) return false; // documentation
  if (first === 0 || first === 0x64) return false; // embedded IPv4 forms (::a.b.c.d, 64:ff9b::/96)
  return true;
}
