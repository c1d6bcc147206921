// A loopback HTTP proxy between the hub and the real Tryton, used to pick the moment of a crash: it forwards
// every JSON-RPC call, and can hold Tryton's answer to one named method. When the answer is held, Tryton has
// done the work and committed; the hub has not heard of it. Killing the hub then is the hardest crash point
// for idempotency (the retry must find the effect, not repeat it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  url: string;
  /**
   * Arms the gate for the next successful call of `method` (e.g. `model.stock.move.do`; an answer carrying
   * an error or a warning passes): once Tryton has answered it, the answer is held back. Resolves when that
   * happened.
   */
  holdAnswerOf(method: string): Promise<void>;
  /** Lets held answers go (to whoever still listens) and disarms the gate. */
  release(): void;
  /** JSON-RPC methods seen, in order. */
  methods(): string[];
  close(): Promise<void>;
}

const forwarded = ['content-type', 'authorization'];

/** A JSON-RPC answer with a result: Tryton did the call and committed (errors and warnings roll back). */
function succeeded(answer: Buffer): boolean {
  try {
    const parsed = JSON.parse(answer.toString('utf8')) as { error?: unknown };
    return parsed.error === undefined || parsed.error === null;
  } catch {
    return false;
  }
}

function rpcMethod(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { method?: unknown };
    return typeof parsed.method === 'string' ? parsed.method : '';
  } catch {
    return '';
  }
}

export async function startGateProxy(target: string): Promise<GateProxy> {
  const seen: string[] = [];
  let armed: { method: string; held: () => void } | undefined;
  let releaseHeld: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const method = rpcMethod(body);
        seen.push(method);
        const headers: Record<string, string> = {};
        for (const name of forwarded) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        let status: number;
        let answer: Buffer;
        let type: string;
        try {
          const upstream = await fetch(`${target}${req.url ?? '/'}`, {
            method: req.method ?? 'POST',
            headers,
            body,
          });
          status = upstream.status;
          type = upstream.headers.get('content-type') ?? 'text/plain';
          answer = Buffer.from(await upstream.arrayBuffer());
        } catch {
          // Tryton unreachable: the client sees a reset connection, as it would without the proxy.
          res.socket?.resetAndDestroy();
          return;
        }
        if (armed && armed.method === method && status === 200 && succeeded(answer)) {
          const { held } = armed;
          armed = undefined;
          held();
          await gate;
        }
        if (res.destroyed || res.socket?.destroyed) return;
        res.writeHead(status, { 'content-type': type });
        res.end(answer);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    holdAnswerOf(method) {
      gate = new Promise<void>((resolve) => {
        releaseHeld = resolve;
      });
      return new Promise<void>((resolve) => {
        armed = { method, held: resolve };
      });
    },
    release() {
      armed = undefined;
      releaseHeld();
    },
    methods: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        releaseHeld();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
