import type { Context, MiddlewareHandler } from 'hono';

/**
 * Where the wall time of a request goes, as a Server-Timing header, only where the var
 * SERVER_TIMING is "on": the acceptance bench sets it, a deployment leaves it empty (it would
 * tell every client how long the storage behind the Worker took). Inside workerd
 * performance.now() advances only with I/O, so a span measures waiting — on a Durable Object,
 * D1, R2 — and reads 0 for computation, which the bench's CPU profile covers instead.
 */
export interface ServerTimingEnv {
  Bindings: Env;
  Variables: { serverTiming?: string[] };
}

export const serverTiming: MiddlewareHandler<ServerTimingEnv> = async (c, next) => {
  if (c.env.SERVER_TIMING !== 'on') return next();
  const spans: string[] = [];
  c.set('serverTiming', spans);
  const started = performance.now();
  await next();
  spans.push(span('total', performance.now() - started));
  c.res.headers.append('server-timing', spans.join(', '));
};

/** Runs `work`, adding its wall time as span `name` when timing is on. */
export async function timed<T>(c: Context, name: string, work: () => Promise<T>): Promise<T> {
  const spans = (c as Context<ServerTimingEnv>).get('serverTiming');
  if (!spans) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    spans.push(span(name, performance.now() - started));
  }
}

/** Adds spans measured elsewhere (inside a Durable Object) when timing is on. */
export function addSpans(c: Context, measured: Readonly<Record<string, number>>): void {
  const spans = (c as Context<ServerTimingEnv>).get('serverTiming');
  if (spans) for (const [name, ms] of Object.entries(measured)) spans.push(span(name, ms));
}

/** Whether this request collects spans (a Durable Object measures only then). */
export function timingOn(c: Context): boolean {
  return (c as Context<ServerTimingEnv>).get('serverTiming') !== undefined;
}

function span(name: string, ms: number): string {
  return `${name};dur=${ms.toFixed(1)}`;
}
