import { describe, expect, it } from 'vitest';
import { useWorker } from './setup/worker-harness.ts';
import { manifestOf, postJson, validSubmission } from './support/acceptance.ts';

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

describe('Server-Timing of POST /api/acceptances without the var SERVER_TIMING', () => {
  const w = useWorker();

  it('is not sent: a deployment tells no client how long its storage took', async () => {
    const response = await postJson(w, validSubmission(await manifestOf(w)));
    expect(response.status).toBe(201);
    await response.arrayBuffer();
    expect(response.headers.get('server-timing')).toBeNull();
  });
});

describe('Server-Timing of POST /api/acceptances with SERVER_TIMING "on" (the acceptance bench)', () => {
  const w = useWorker({ vars: { SERVER_TIMING: 'on' } });

  it('names the rate limit, the sequencer call and the sequencer’s queue, D1 and witness spans, and answers with the receipt as without', async () => {
    const response = await postJson(w, validSubmission(await manifestOf(w), { companyName: 'Timing GmbH' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ format: expect.any(String), record: { companyName: 'Timing GmbH' } });
    const spans = spansOf(response.headers.get('server-timing'));
    expect(Object.keys(spans).sort()).toEqual(['rate-limit', 'sequencer', 'sequencer-d1', 'sequencer-queue', 'sequencer-witness', 'total']);
    for (const ms of Object.values(spans)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('a refused acceptance (stale version) has no sequencer spans: it never reached the sequencer', async () => {
    const response = await postJson(w, validSubmission(await manifestOf(w), { avvVersion: '0.0.0-not-published' }));
    expect(response.status).toBe(409);
    await response.arrayBuffer();
    expect(Object.keys(spansOf(response.headers.get('server-timing'))).sort()).toEqual(['rate-limit', 'total']);
  });
});
