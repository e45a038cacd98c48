import { describe, expect, it } from 'vitest';
import { summariseProfile, type Profile, type ProfileNode } from '../src/cli/lib/cpu-profile.ts';

/*
 * The bench's CPU breakdown of an acceptance rests on this attribution: a sample counts to the
 * innermost frame that names a part, native calls to the script that made them, idle to nothing.
 * The profile below is shaped as workerd's inspector returns it.
 */
const frame = (id: number, functionName: string, url: string, children: number[] = []): ProfileNode => ({
  id,
  callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
  children,
});

const nodes: ProfileNode[] = [
  frame(1, '(root)', '', [2, 3, 4, 5]),
  frame(2, '(idle)', ''),
  frame(3, '(garbage collector)', ''),
  frame(4, '(program)', ''),
  frame(5, 'fetch', 'worker.js', [6, 8]),
  frame(6, 'securityHeaders', 'pipeline.js', [7]),
  // A native call (no URL): counted to securityHeaders, shown after an arrow.
  frame(7, 'Response', ''),
  frame(8, 'helper', 'shared.js'),
];

/**
 * Samples in order, each lasting the delta to the next one (in µs): node 2 for 5 ms, node 6 for
 * 2 ms, node 7 for 1 ms, node 8 for 3 ms, node 3 for 0.5 ms, node 4 for 0.25 ms.
 */
const profile: Profile = {
  nodes,
  startTime: 0,
  endTime: 20_000,
  samples: [2, 6, 7, 8, 3, 4],
  timeDeltas: [0, 5000, 2000, 1000, 3000, 500, 250],
};

const parts: Record<string, string> = { 'pipeline.js': 'middleware', 'worker.js': 'entry' };
const categorise = (callFrame: ProfileNode['callFrame']) => parts[callFrame.url];
const label = (callFrame: ProfileNode['callFrame']) => (callFrame.url === '' ? undefined : `${callFrame.url} ${callFrame.functionName}`);

describe('summariseProfile', () => {
  const summary = summariseProfile(profile, categorise, label);

  it('counts every sample but idle, each for the delta to the next sample', () => {
    expect(summary.busyMs).toBeCloseTo(6.75);
    expect(summary.spanMs).toBe(20);
  });

  it('gives a sample to the innermost frame that names a part, a helper of no part to its caller', () => {
    expect(Object.fromEntries(summary.byCategory)).toEqual({
      middleware: 3, // securityHeaders 2 ms + its native Response 1 ms
      entry: 3, // helper (shared.js names no part) counts to fetch
      'garbage collection': 0.5,
      other: 0.25, // (program): no script frame up to the root
    });
  });

  it('names hot spots by the innermost script frame, with the native call after an arrow', () => {
    expect(Object.fromEntries(summary.byHotSpot.get('middleware')!)).toEqual({
      'pipeline.js securityHeaders': 2,
      'pipeline.js securityHeaders → Response': 1,
    });
    expect(Object.fromEntries(summary.byHotSpot.get('entry')!)).toEqual({ 'shared.js helper': 3 });
    expect(Object.fromEntries(summary.byHotSpot.get('other')!)).toEqual({ '(no script frame) → (program)': 0.25 });
  });
});
