import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, runLoad } from '../src/cli/lib/load.ts';

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 0.5, 0],
    [[7], 0.99, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4], 0.99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.5, 50],
  ])('%j at %d is %d', (values, fraction, expected) => {
    expect(percentile(values, fraction)).toBe(expected);
  });
});

describe('runLoad', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve)))));

  it('sends every request once over at most `connections` sockets and counts failures by status', async () => {
    const seen: string[] = [];
    const sockets = new Set<unknown>();
    const server = createServer((request, response) => {
      sockets.add(request.socket);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(body);
        const index = Number(JSON.parse(body).index);
        response.writeHead(index % 10 === 0 ? 429 : 201).end(index % 10 === 0 ? 'slow down' : 'ok');
      });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const result = await runLoad({
      url: `http://127.0.0.1:${port}`,
      path: '/',
      requests: 50,
      connections: 4,
      build: (index) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index }) }),
      okStatus: (status) => status === 201,
    });

    expect(seen.map((body) => JSON.parse(body).index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sockets.size).toBeLessThanOrEqual(4);
    expect(result).toMatchObject({ requests: 50, ok: 45, failures: { 429: 5 }, firstFailure: '429: slow down' });
    expect(result.quarterRates).toHaveLength(4);
  });

  it('hands the headers of every successful answer, and only those, to onAnswer', async () => {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const index = Number(JSON.parse(body).index);
        response.writeHead(index % 2 === 0 ? 201 : 500, { 'server-timing': `step;dur=${index}` }).end();
      });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const seen: string[] = [];
    const result = await runLoad({
      url: `http://127.0.0.1:${port}`,
      path: '/',
      requests: 6,
      connections: 2,
      build: (index) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index }) }),
      okStatus: (status) => status === 201,
      onAnswer: (headers) => seen.push(String(headers['server-timing'])),
    });
    expect(result).toMatchObject({ ok: 3, failures: { 500: 3 } });
    expect(seen.sort()).toEqual(['step;dur=0', 'step;dur=2', 'step;dur=4']);
  });
});
