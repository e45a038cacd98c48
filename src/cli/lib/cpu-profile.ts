/**
 * A V8 CPU profile of a Worker under `wrangler dev`, taken through its DevTools inspector (the
 * `--inspector-port` wrangler proxies to workerd): the only way to see where a Worker's CPU
 * goes, since inside workerd performance.now() stands still between I/O events and so cannot
 * time pure computation. The Worker and its Durable Objects run in the profiled isolate; local
 * D1 and R2 run in Miniflare's own isolates and show up in the process CPU only.
 */

/** One V8 profile node (Chrome DevTools protocol, Profiler.Profile). */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** A V8 CPU profile as the inspector returns it (Profiler.stop). */
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuProfile {
  /** Wall time the profile covered, ms. */
  spanMs: number;
  /**
   * Sampled time the isolate was busy, ms (idle excluded). On a loaded machine this includes
   * the time its thread waited for a core, spread over whatever code it was in: the shares are
   * the figure to read, the milliseconds are an upper bound.
   */
  busyMs: number;
  /** Sampled ms per category (see profileCpu's `categorise`). */
  byCategory: Map<string, number>;
  /**
   * Sampled ms per category and hot spot: the innermost frame `label` names (a function of the
   * project or of a library), with the native call it was in when the sample was in one, so a
   * category's time can be taken apart down to the function.
   */
  byHotSpot: Map<string, Map<string, number>>;
}

/** Names a frame for the hot spots ("functions/pipeline/body.ts:41 readBody"), or undefined for frames of no script. */
export type FrameLabel = (frame: ProfileNode['callFrame']) => string | undefined;

/**
 * Runs `during` while the isolate behind the inspector at `inspectorPort` is profiled, and
 * attributes every sample to a category: `categorise` is given the innermost frame of a sample
 * and names its category, or returns undefined to try its caller's frame (native code is
 * counted to the script that called it).
 */
export async function profileCpu<T>(
  inspectorPort: number,
  categorise: (frame: ProfileNode['callFrame']) => string | undefined,
  during: () => Promise<T>,
  label: FrameLabel = () => undefined,
): Promise<{ result: T; profile: CpuProfile }> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl?: string }>;
  const target = targets.find((candidate) => candidate.webSocketDebuggerUrl);
  if (!target?.webSocketDebuggerUrl) throw new Error(`no inspector target on port ${inspectorPort}`);
  // wrangler's inspector proxy admits only DevTools-like origins; Node's client sends none by itself.
  const socket = new WebSocket(target.webSocketDebuggerUrl, { headers: { origin: 'http://localhost' } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`inspector at ${target.webSocketDebuggerUrl} refused the connection`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 200 });
    await call('Profiler.start');
    const result = await during();
    const { profile } = (await call('Profiler.stop')) as { profile: Profile };
    return { result, profile: summariseProfile(profile, categorise, label) };
  } finally {
    socket.close();
  }
}

/**
 * Sampled time of `profile` by category and hot spot (see profileCpu). A sample's time is the
 * delta to the next sample (V8's timeDeltas[i + 1]); idle samples count to neither.
 */
export function summariseProfile(profile: Profile, categorise: (frame: ProfileNode['callFrame']) => string | undefined, label: FrameLabel): CpuProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOf = new Map<number, string>();
  const category = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    const own = frame.functionName === '(idle)' ? 'idle' : frame.functionName === '(garbage collector)' ? 'garbage collection' : categorise(frame);
    const up = parent.get(id);
    const found = own ?? (up === undefined ? 'other' : category(up));
    categoryOf.set(id, found);
    return found;
  };
  const labelOf = new Map<number, string>();
  const scriptLabel = (id: number): string => {
    const known = labelOf.get(id);
    if (known !== undefined) return known;
    const own = label(byId.get(id)!.callFrame);
    const up = parent.get(id);
    const found = own ?? (up === undefined ? '(no script frame)' : scriptLabel(up));
    labelOf.set(id, found);
    return found;
  };
  const hotSpot = (id: number): string => {
    const leaf = byId.get(id)!.callFrame;
    // A native call (crypto.subtle, Headers, Response…) shows under the function that made it.
    const native = label(leaf) === undefined && leaf.url === '' && leaf.functionName !== '' ? ` → ${leaf.functionName}` : '';
    return `${scriptLabel(id)}${native}`;
  };
  const byCategory = new Map<string, number>();
  const byHotSpot = new Map<string, Map<string, number>>();
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const name = category(id);
    if (name === 'idle') return;
    busyMs += ms;
    byCategory.set(name, (byCategory.get(name) ?? 0) + ms);
    const spots = byHotSpot.get(name) ?? new Map<string, number>();
    const spot = hotSpot(id);
    spots.set(spot, (spots.get(spot) ?? 0) + ms);
    byHotSpot.set(name, spots);
  });
  return { spanMs: (profile.endTime - profile.startTime) / 1000, busyMs, byCategory, byHotSpot };
}
