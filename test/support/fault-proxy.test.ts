import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyNetworkError } from '../../src/connectors/sdk/index.js';
import { startFaultProxy } from './fault-proxy.js';
import type { FaultProxy } from './fault-proxy.js';

let upstream: Server;
let upstreamPort: number;
let received = 0;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    received += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`echo:${Buffer.concat(chunks).toString()}`));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});
beforeEach(async () => {
  received = 0;
  proxy = await startFaultProxy({ targetPort: upstreamPort });
});
afterEach(async () => {
  await proxy.close();
});

const post = (body: string, timeoutMs = 5000): Promise<string> =>
  fetch(`${proxy.url}/`, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) }).then((r) =>
    r.text(),
  );

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('fault proxy', () => {
  it('pass: forwards both ways and counts connections', async () => {
    expect(await post('a')).toBe('echo:a');
    expect(await post('b'.repeat(200_000))).toBe(`echo:${'b'.repeat(200_000)}`);
    expect(proxy.stats().accepted).toBeGreaterThanOrEqual(1);
    expect(received).toBe(2);
  });

  it('latency: delivers late but intact and in order', async () => {
    await proxy.setMode({ kind: 'latency', ms: 300 });
    const started = Date.now();
    expect(await post('x'.repeat(100_000))).toBe(`echo:${'x'.repeat(100_000)}`);
    // A lower bound only: the proxy held the bytes at least once each way.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 300 - 20);
  });

  it('reset: open and new connections are reset, and that classifies as transient', async () => {
    expect(await post('warm')).toBe('echo:warm'); // leaves a pooled keep-alive connection
    await proxy.setMode({ kind: 'reset' });
    const error = await failureOf(post('x'));
    expect(classifyNetworkError(error).errorClass).toBe('transient');
    expect(proxy.stats().reset).toBeGreaterThanOrEqual(1);
    expect(received).toBe(1);
  });

  it('blackhole: accepts, never answers, never forwards; the caller times out', async () => {
    await proxy.setMode({ kind: 'blackhole' });
    const error = await failureOf(post('lost', 300));
    expect(classifyNetworkError(error).vendorDetail).toEqual({ code: 'TimeoutError' });
    expect(received).toBe(0);
    expect(proxy.stats()).toMatchObject({ blackholed: 1 });
  });

  it('blackhole: a connection that was alive goes silent and stays dead after recovery', async () => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const replies: string[] = [];
    socket.on('data', (d: Buffer) => replies.push(d.toString()));
    const request = (body: string): string =>
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    socket.write(request('one'));
    for (let i = 0; i < 100 && replies.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(replies.join('')).toContain('echo:one');
    await proxy.setMode({ kind: 'blackhole' });
    await proxy.setMode({ kind: 'pass' });
    socket.write(request('two'));
    await new Promise((r) => setTimeout(r, 200));
    expect(replies.join('')).not.toContain('echo:two');
    expect(received).toBe(1);
    socket.destroy();
    // New connections work again.
    expect(await post('three')).toBe('echo:three');
  });

  it('refuse: closes the listener (connection refused), and pass re-opens the same port', async () => {
    await proxy.setMode({ kind: 'refuse' });
    const error = await failureOf(post('x'));
    expect(classifyNetworkError(error).vendorDetail).toEqual({ code: 'ECONNREFUSED' });
    await proxy.setMode({ kind: 'pass' });
    expect(await post('back')).toBe('echo:back');
  });

  it('rejects absurd latencies so nothing hangs a test run', async () => {
    await expect(proxy.setMode({ kind: 'latency', ms: 10 * 60_000 })).rejects.toThrow(RangeError);
  });
});
