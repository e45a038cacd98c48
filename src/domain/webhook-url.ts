/**
 * Which URLs may receive webhooks. A webhook makes the Worker send requests to an address a
 * stranger typed in, so in production only public HTTPS hosts qualify (SSRF guard): no IP
 * literals on loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * multicast or reserved networks — also not inside IPv6 forms that embed an IPv4 address —
 * and no names that only resolve inside a network. A name must in addition RESOLVE only to
 * public addresses (`checkResolvedAddresses`; the Worker resolves by DNS over HTTPS before
 * registering and before every delivery). In development, `http://localhost` endpoints are
 * allowed so a local receiver works.
 *
 * `url` in a successful check is the canonical form that is stored and shown: what the URL
 * parser made of the input, with a trailing dot of the host name removed.
 */
export type WebhookUrlCheck = { ok: true; url: URL; needsResolution: boolean } | { ok: false; reason: string };

const INTERNAL_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.intranet', '.lan', '.home.arpa', '.arpa', '.corp', '.private', '.test', '.invalid', '.onion', '.alt'];
const INTERNAL_NAMES = new Set(['localhost', 'localdomain', 'localhost.localdomain', 'local', 'internal', 'broadcasthost', 'ip6-localhost', 'ip6-loopback']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const REFUSED_ADDRESS = 'must not point to a private, loopback or reserved address';

export function checkWebhookUrl(input: string, options: { development: boolean }): WebhookUrlCheck {
  // The URL parser silently drops tabs and newlines and trims spaces; a URL that needed that is
  // not the URL that would be stored and mailed, so it is refused rather than repaired.
  if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(input)) return { ok: false, reason: 'must not contain spaces or control characters' };
  if (input.length > 2000) return { ok: false, reason: 'longer than 2000 characters' };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  if (url.hash || input.includes('#')) return { ok: false, reason: 'must not contain a fragment' };
  // "localhost." and "metadata.google.internal." are the same hosts as without the dot.
  url.hostname = url.hostname.replace(/\.+$/, '');
  const host = url.hostname.toLowerCase();
  if (host === '') return { ok: false, reason: 'must name a host' };
  if (options.development && LOCAL_HOSTS.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return { ok: true, url, needsResolution: false };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return { ok: false, reason: 'must be a public host name' };
  const ipv4 = parseIpv4(host);
  if (ipv4) return isPublicIpv4(ipv4) ? { ok: true, url, needsResolution: false } : { ok: false, reason: REFUSED_ADDRESS };
  if (host.startsWith('[')) {
    const ipv6 = parseIpv6(host.slice(1, -1));
    return ipv6 && isPublicIpv6(ipv6) ? { ok: true, url, needsResolution: false } : { ok: false, reason: REFUSED_ADDRESS };
  }
  // A single label ("intranet") resolves only through a local search domain.
  if (!host.includes('.')) return { ok: false, reason: 'must be a fully qualified public host name' };
  return { ok: true, url, needsResolution: true };
}

/**
 * The verdict on what a host name resolved to: every address must be public (a name with one
 * private address among public ones is how DNS-based SSRF picks its target), and there must be
 * at least one.
 */
export function checkResolvedAddresses(addresses: readonly string[]): { ok: true } | { ok: false; reason: string } {
  if (addresses.length === 0) return { ok: false, reason: 'the host name does not resolve' };
  for (const address of addresses) {
    const ipv4 = parseIpv4(address);
    const ipv6 = ipv4 ? null : parseIpv6(address);
    const isPublic = ipv4 ? isPublicIpv4(ipv4) : ipv6 ? isPublicIpv6(ipv6) : false;
    if (!isPublic) return { ok: false, reason: `the host name resolves to ${address}, which is not a public address` };
  }
  return { ok: true };
}

/** The URL parser already turns 0x7f.1, 2130706433 and friends into dotted quads. */
function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function isPublicIpv4([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return false;
  if (a === 0 || a === 10 || a === 127) return false; // "this network", private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT 100.64/10
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

/** Eight 16-bit groups of an IPv6 address (with `::` and a dotted IPv4 tail), or null. */
function parseIpv6(literal: string): number[] | null {
  let text = literal.toLowerCase();
  if (text.includes('%')) return null; // zone ids name an interface: never public
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = parseIpv4(tail[1]!);
    if (!v4) return null;
    text = `${text.slice(0, -tail[1]!.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => Number.parseInt(group, 16));
}

function isPublicIpv6(groups: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const v4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255];
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // IPv4-mapped ::ffff:a.b.c.d inherits the IPv4 verdict
  if (zeroPrefix && g5 === 0xffff) return isPublicIpv4(v4(g6, g7));
  // ::, ::1, the deprecated IPv4-compatible ::a.b.c.d and the rest of ::/80: never a receiver
  if (zeroPrefix) return false;
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765) and NAT64 64:ff9b::/96, 64:ff9b:1::/48
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return isPublicIpv4(v4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b) return g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 ? isPublicIpv4(v4(g6, g7)) : false;
  // 6to4 2002:AABB:CCDD::/48 carries the IPv4 address AA.BB.CC.DD
  if (g0 === 0x2002) return isPublicIpv4(v4(g1, g2));
  // Teredo 2001:0::/32: server IPv4 in groups 2–3, client IPv4 (inverted) in groups 6–7
  if (g0 === 0x2001 && g1 === 0) return isPublicIpv4(v4(g2, g3)) && isPublicIpv4(v4(g6 ^ 0xffff, g7 ^ 0xffff));
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return false; // link-local, site-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0xdb8) return false; // documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return false; // discard-only 100::/64
  return true;
}
