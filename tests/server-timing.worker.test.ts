import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle, type WorkerOptions } from './setup/worker-harness.ts';
import { manifestOf, postJson, validSubmission } from './support/acceptance.ts';

const started: WorkerHandle[] = [];
async function worker(options?: WorkerOptions): Promise<WorkerHandle> {
  const handle = await startWorker(options);
  started.push(handle);
  return handle;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.dispose()));
});

/** The `name;dur=ms` entries of a Server-Timing header. */
function spansOf(header: string | null): Record<string, number> {
  const spans: Record<string, number> = {};
  for (const entry of (header ?? '').split(',').filter(Boolean)) {
    const match = /^\s*([\w-]+);dur=(\d+(?:\.\d+)?)\s*$/.exec(entry);
    if (!match) throw new Error(`not a span: "${entry}"`);
    spans[match[1]!] = Number(match[2]);
  }
  return spans;
}

describe('Server-Timing of POST /api/acceptances (the acceptance bench)', () => {
  it('is not sent unless the var SERVER_TIMING is "on": a deployment tells no client how long its storage took', async () => {
    const w = await worker();
    const response = await postJson(w, validSubmission(await manifestOf(w)));
    expect(response.status).toBe(201);
    await response.arrayBuffer();
    expect(response.headers.get('server-timing')).toBeNull();
  });

  it('with SERVER_TIMING "on" names the rate limit, the sequencer call and the sequencer’s queue, D1 and witness spans; the answer is the same receipt', async () => {
    const w = await worker({ vars: { SERVER_TIMING: 'on' } });
    const response = await postJson(w, validSubmission(await manifestOf(w)));
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as { leafIndex: number; treeSize: number };
    expect(receipt).toMatchObject({ leafIndex: 0, treeSize: 1 });
    const spans = spansOf(response.headers.get('server-timing'));
    expect(Object.keys(spans).sort()).toEqual(['rate-limit', 'sequencer', 'sequencer-d1', 'sequencer-queue', 'sequencer-witness', 'total']);
    for (const ms of Object.values(spans)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('a refused acceptance (stale version) has no sequencer spans: it never reached the sequencer', async () => {
    const w = await worker({ vars: { SERVER_TIMING: 'on' } });
    const response = await postJson(w, validSubmission(await manifestOf(w), { avvVersion: '0.0.0-not-published' }));
    expect(response.status).toBe(409);
    await response.arrayBuffer();
    expect(Object.keys(spansOf(response.headers.get('server-timing'))).sort()).toEqual(['rate-limit', 'total']);
  });
});
