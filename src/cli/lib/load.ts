import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface LoadOptions {
  /** Origin of the server, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Path every request goes to. */
  path: string;
  /** Requests in total. */
  requests: number;
  /** Keep-alive connections, each with one request in flight at a time. */
  connections: number;
  /** Method, headers and body of request number `index` (0-based). */
  build(index: number): { method: string; headers: Record<string, string>; body: string };
  /** Status codes that count as success. */
  okStatus: (status: number) => boolean;
  /** Called with the headers of every successful answer (e.g. to collect Server-Timing). */
  onAnswer?: (headers: IncomingHttpHeaders) => void;
}

export interface LoadResult {
  requests: number;
  ok: number;
  /** Failed requests by status ("error" for network errors), e.g. { 429: 3 }. */
  failures: Record<string, number>;
  /** First failed answer, to say why. */
  firstFailure?: string;
  seconds: number;
  /** Successful requests per second over the whole run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Successful requests per second in each quarter of the run (by completion order): shows whether the rate holds up as the data grows. */
  quarterRates: number[];
}

/**
 * A closed-loop load run: `connections` keep-alive sockets, each sending its next request as
 * soon as the previous answer is read, until `requests` were sent. Latency is measured per
 * request from write to the end of the body.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  /** performance.now() at each successful completion, in completion order. */
  const completions: number[] = [];
  const failures: Record<string, number> = {};
  let firstFailure: string | undefined;
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests) {
      const index = next++;
      const sent = performance.now();
      const { status, body, headers } = await send(agent, options.url + options.path, options.build(index)).catch((error: unknown) => ({
        status: 0,
        body: error instanceof Error ? error.message : String(error),
        headers: {},
      }));
      latencies.push(performance.now() - sent);
      if (options.okStatus(status)) {
        ok++;
        completions.push(performance.now());
        options.onAnswer?.(headers);
      }
      else {
        const key = status === 0 ? 'error' : String(status);
        failures[key] = (failures[key] ?? 0) + 1;
        firstFailure ??= `${key}: ${body.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: options.requests,
    ok,
    failures,
    ...(firstFailure !== undefined && { firstFailure }),
    seconds,
    perSecond: ok / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    quarterRates: quarterRates(started, completions),
  };
}

function quarterRates(started: number, completions: number[]): number[] {
  const rates: number[] = [];
  let from = started;
  for (let quarter = 1; quarter <= 4; quarter++) {
    const slice = completions.slice(Math.floor(((quarter - 1) * completions.length) / 4), Math.floor((quarter * completions.length) / 4));
    const to = slice.at(-1) ?? from;
    rates.push(to > from ? (slice.length * 1000) / (to - from) : 0);
    from = to;
  }
  return rates;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

function send(agent: Agent, url: string, init: { method: string; headers: Record<string, string>; body: string }): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(init.body);
    const req = request(url, { agent, method: init.method, headers: { ...init.headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
