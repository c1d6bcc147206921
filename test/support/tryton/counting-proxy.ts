import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CountingProxy {
  url: string;
  /** Most requests seen in flight at the same time. */
  maxConcurrent(): number;
  requests(): number;
  /** Distinct TCP connections opened by clients (keep-alive reuses them). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a real server that counts concurrent requests and connections.
 * `holdMs` keeps each request in flight a little longer so overlapping calls really overlap.
 */
export async function startCountingProxy(
  target: string,
  options: { holdMs?: number } = {},
): Promise<CountingProxy> {
  let active = 0;
  let max = 0;
  let total = 0;
  let sockets = 0;
  const server = http.createServer((req, res) => {
    active += 1;
    total += 1;
    max = Math.max(max, active);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          if (options.holdMs) await sleep(options.holdMs);
          const headers: Record<string, string> = {};
          for (const name of ['content-type', 'authorization', 'x-requested-with']) {
            const value = req.headers[name];
            if (typeof value === 'string') headers[name] = value;
          }
          const upstream = await fetch(`${target}${req.url ?? '/'}`, {
            method: req.method ?? 'POST',
            headers,
            body: Buffer.concat(chunks),
          });
          const body = Buffer.from(await upstream.arrayBuffer());
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'text/plain',
          });
          res.end(body);
        } catch {
          res.writeHead(502).end();
        } finally {
          active -= 1;
        }
      })();
    });
  });
  server.on('connection', () => {
    sockets += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxConcurrent: () => max,
    requests: () => total,
    connections: () => sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Accepts connections and never answers: what a hung ERP looks like from the client. */
export async function startBlackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
