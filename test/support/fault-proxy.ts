import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that sits between the hub and an ERP (or a database) and misbehaves on
 * command, the way real networks do (reliability targets R3 and R4):
 * - pass: forward both ways;
 * - latency: forward every chunk `ms` late (order kept);
 * - reset: RST every open connection and every new one;
 * - blackhole: accept, then swallow everything, never answering (a half-open peer); connections that
 *   saw the black hole stay dead even after the mode changes back, as they would in reality;
 * - refuse: stop listening (connection refused) and drop open connections.
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
  | { kind: 'blackhole' }
  | { kind: 'refuse' };

export interface FaultProxyStats {
  /** Connections accepted since start (black-holed and reset ones included). */
  accepted: number;
  active: number;
  reset: number;
  blackholed: number;
}

export interface FaultProxy {
  host: '127.0.0.1';
  port: number;
  url: string;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): Promise<void>;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  targetPort: number;
  targetHost?: string;
  mode?: FaultMode;
}

interface Connection {
  client: Socket;
  upstream: Socket | undefined;
  dead: boolean;
}

const MAX_LATENCY_MS = 60_000;

function assertMode(mode: FaultMode): void {
  if (mode.kind === 'latency' && !(mode.ms >= 0 && mode.ms <= MAX_LATENCY_MS)) {
    throw new RangeError(`latency must be within 0..${MAX_LATENCY_MS} ms`);
  }
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  let mode: FaultMode = options.mode ?? { kind: 'pass' };
  assertMode(mode);
  const connections = new Set<Connection>();
  const timers = new Set<NodeJS.Timeout>();
  const stats = { accepted: 0, reset: 0, blackholed: 0 };
  let closed = false;
  let listening = false;
  let port = 0;

  const kill = (conn: Connection): void => {
    conn.dead = true;
    conn.client.resetAndDestroy();
    conn.upstream?.resetAndDestroy();
    connections.delete(conn);
  };

  /** Writes chunks to `to` now or `ms` later; chunks (and the final end) never overtake each other. */
  const forwarder = (
    conn: Connection,
    to: () => Socket | undefined,
  ): { data: (chunk: Buffer) => void; end: () => void } => {
    let queue: Promise<void> = Promise.resolve();
    const enqueue = (action: (target: Socket) => void): void => {
      if (conn.dead) return;
      const dueAt = Date.now() + (mode.kind === 'latency' ? mode.ms : 0);
      queue = queue.then(
        () =>
          new Promise<void>((resolve) => {
            const run = (): void => {
              const target = to();
              if (!conn.dead && !closed && target !== undefined && !target.destroyed) action(target);
              resolve();
            };
            const wait = dueAt - Date.now();
            if (wait <= 0) return run();
            const timer = setTimeout(() => {
              timers.delete(timer);
              run();
            }, wait);
            timer.unref();
            timers.add(timer);
          }),
      );
    };
    return { data: (chunk) => enqueue((t) => t.write(chunk)), end: () => enqueue((t) => t.end()) };
  };

  const server: Server = createServer((client) => {
    stats.accepted += 1;
    const conn: Connection = { client, upstream: undefined, dead: false };
    client.on('error', () => kill(conn));
    client.on('close', () => {
      // Give queued (delayed) bytes no target once the client is gone.
      conn.upstream?.destroy();
      connections.delete(conn);
    });
    if (mode.kind === 'reset' || mode.kind === 'refuse') {
      stats.reset += 1;
      client.resetAndDestroy();
      return;
    }
    connections.add(conn);
    if (mode.kind === 'blackhole') {
      conn.dead = true;
      stats.blackholed += 1;
      client.on('data', () => undefined);
      return;
    }
    const upstream = createConnection({ host: targetHost, port: options.targetPort });
    conn.upstream = upstream;
    upstream.on('error', () => kill(conn));
    const toUpstream = forwarder(conn, () => conn.upstream);
    const toClient = forwarder(conn, () => conn.client);
    client.on('data', toUpstream.data);
    upstream.on('data', toClient.data);
    client.on('end', toUpstream.end);
    upstream.on('end', toClient.end);
  });

  const listen = (onPort: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });

  await listen(0);
  port = (server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    async setMode(next) {
      assertMode(next);
      if (closed) throw new Error('fault proxy is closed');
      mode = next;
      if (next.kind === 'reset' || next.kind === 'refuse') {
        for (const conn of [...connections]) {
          stats.reset += 1;
          kill(conn);
        }
      }
      if (next.kind === 'blackhole') {
        for (const conn of connections) {
          if (!conn.dead) stats.blackholed += 1;
          conn.dead = true;
        }
      }
      if (next.kind === 'refuse') await stopListening();
      else if (!listening) await listen(port);
    },
    stats() {
      return { ...stats, active: connections.size };
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const conn of [...connections]) {
        conn.dead = true;
        conn.client.destroy();
        conn.upstream?.destroy();
        connections.delete(conn);
      }
      await stopListening();
    },
  };
}
