import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cursor } from '../sdk/connector.js';
import {
  TEST_ERP_ENTITIES,
  TEST_ERP_MAX_BATCH,
  TEST_ERP_MAX_PAGE,
  TEST_ERP_VERSION,
} from './test-erp-api.js';
import { TestErpFaults } from './test-erp-faults.js';
import type { RequestFault } from './test-erp-faults.js';
import { TestErpStore } from './test-erp-store.js';
import type { ErpOp, ErpOpOutcome, ErpRecord } from './test-erp-store.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** One HTTP request as the test ERP saw it; the token is never recorded. */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  idempotencyKeys: string[];
  body: unknown;
  status: number;
  fault?: RequestFault['kind'];
}

export interface TestErpOptions {
  token?: string;
  entities?: readonly string[];
  requiredFields?: Readonly<Record<string, readonly string[]>>;
  now?: () => string;
}

export interface TestErp {
  url: string;
  port: number;
  token: string;
  store: TestErpStore;
  faults: TestErpFaults;
  /** Requests in arrival order, optionally filtered. */
  requests(filter?: { method?: string; pathPrefix?: string }): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  fault?: RequestFault['kind'];
}

const errorReply = (status: number, code: string, message: string, details?: unknown): Reply => ({
  status,
  body: { error: details === undefined ? { code, message } : { code, message, details } },
});

function faultReply(fault: RequestFault): Reply {
  switch (fault.kind) {
    case 'server_error':
      return { ...errorReply(fault.status ?? 500, 'internal', 'injected server error'), fault: fault.kind };
    case 'rate_limited':
      return {
        ...errorReply(429, 'rate_limited', 'injected rate limit'),
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
        fault: fault.kind,
      };
    case 'unauthorized':
      return { ...errorReply(401, 'unauthorized', 'injected auth failure'), fault: fault.kind };
    case 'conflict':
      return { ...errorReply(409, 'conflict', 'injected edit conflict'), fault: fault.kind };
    case 'cursor_invalid':
      return { ...errorReply(400, 'cursor_invalid', 'injected cursor expiry'), fault: fault.kind };
  }
}

const toWire = (r: ErpRecord): Record<string, unknown> =>
  r.reference === undefined
    ? { id: r.id, modifiedAt: r.modifiedAt, data: r.data }
    : { id: r.id, reference: r.reference, modifiedAt: r.modifiedAt, data: r.data };

async function readBody(req: IncomingMessage): Promise<{ text: string } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { tooLarge: true };
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * A loopback ERP for tests: a small REST API (docs/connectors/sdk.md, "test ERP") over `TestErpStore`,
 * with token auth, a request log and switchable faults.
 */
export async function startTestErp(options: TestErpOptions = {}): Promise<TestErp> {
  const token = options.token ?? 'test-erp-token';
  const store = new TestErpStore({
    entities: options.entities ?? TEST_ERP_ENTITIES,
    requiredFields: options.requiredFields,
    now: options.now,
  });
  const faults = new TestErpFaults();
  const log: RecordedRequest[] = [];
  let seq = 0;

  function listOrLookup(entity: string, query: URLSearchParams): Reply {
    const reference = query.get('reference');
    if (reference !== null) {
      const found = store.findByReference(entity, reference);
      return { status: 200, body: { records: found === undefined ? [] : [toWire(found)], hasMore: false } };
    }
    const afterModifiedAt = query.get('afterModifiedAt');
    const afterId = query.get('afterId');
    const limit = Number(query.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > TEST_ERP_MAX_PAGE) {
      return errorReply(400, 'validation', `limit must be an integer within 1..${TEST_ERP_MAX_PAGE}`);
    }
    let cursor: Cursor | null = null;
    if (afterModifiedAt !== null || afterId !== null) {
      if (afterModifiedAt === null || !isoPattern.test(afterModifiedAt) || afterId === null) {
        return errorReply(400, 'cursor_invalid', 'cursor needs afterModifiedAt (ISO UTC) and afterId');
      }
      cursor = { modifiedAt: afterModifiedAt, id: afterId };
    }
    const page = store.list(entity, cursor, limit);
    return { status: 200, body: { records: page.records.map(toWire), hasMore: page.hasMore } };
  }

  function batch(entity: string, body: unknown): Reply {
    const ops = (body as { ops?: unknown } | null)?.ops;
    if (!Array.isArray(ops)) return errorReply(400, 'validation', 'body must be {"ops": [...]}');
    if (ops.length > TEST_ERP_MAX_BATCH)
      return errorReply(400, 'batch_too_large', `at most ${TEST_ERP_MAX_BATCH} ops`);
    const results = ops.map((raw: unknown): Record<string, unknown> => {
      const op = raw as ErpOp;
      const key = typeof op?.idempotencyKey === 'string' ? op.idempotencyKey : undefined;
      let outcome: ErpOpOutcome;
      if (typeof op !== 'object' || op === null || typeof op.op !== 'string') {
        outcome = { status: 400, error: { code: 'validation', message: 'each op needs a string "op"' } };
      } else {
        const rejection = faults.opRejection(entity, op);
        outcome =
          rejection === undefined
            ? store.apply(entity, op)
            : { status: 400, error: { code: 'validation', message: rejection } };
      }
      return { idempotencyKey: key, ok: outcome.status < 300, ...outcome };
    });
    return { status: 200, body: { results } };
  }

  function route(method: string, parts: string[], query: URLSearchParams, body: unknown): Reply {
    if (parts[0] !== 'api') return errorReply(404, 'not_found', 'no such route');
    if (method === 'GET' && parts.length === 2 && parts[1] === 'health') {
      return { status: 200, body: { ok: true, version: TEST_ERP_VERSION } };
    }
    if (parts[1] !== 'entities' || parts[2] === undefined)
      return errorReply(404, 'not_found', 'no such route');
    const entity = parts[2];
    if (!store.hasEntity(entity)) return errorReply(404, 'unknown_entity', `no entity ${entity}`);
    if (method === 'GET' && parts.length === 3) return listOrLookup(entity, query);
    if (method === 'GET' && parts.length === 4) {
      const record = store.get(entity, parts[3] as string);
      return record === undefined
        ? errorReply(404, 'not_found', `${entity} ${parts[3]} not found`)
        : { status: 200, body: toWire(record) };
    }
    if (method === 'POST' && parts.length === 4 && parts[3] === 'batch') return batch(entity, body);
    return errorReply(405, 'method_not_allowed', `${method} not allowed here`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const entry: RecordedRequest = {
      seq: (seq += 1),
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      idempotencyKeys: [],
      body: undefined,
      status: 0,
    };
    log.push(entry);
    const raw = await readBody(req);
    let reply: Reply;
    if ('tooLarge' in raw) reply = errorReply(413, 'payload_too_large', `body over ${MAX_BODY_BYTES} bytes`);
    else {
      let parsed: unknown;
      try {
        parsed = raw.text === '' ? undefined : JSON.parse(raw.text);
      } catch {
        parsed = raw.text;
      }
      entry.body = parsed;
      const ops = (parsed as { ops?: unknown } | undefined)?.ops;
      if (Array.isArray(ops)) {
        entry.idempotencyKeys = ops.flatMap((op: unknown) => {
          const key = (op as { idempotencyKey?: unknown } | null)?.idempotencyKey;
          return typeof key === 'string' ? [key] : [];
        });
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs, undefined, { ref: false });
      const fault = faults.takeRequestFault({ method, path: url.pathname });
      if (fault !== undefined) reply = faultReply(fault);
      else if (req.headers.authorization !== `Bearer ${token}`)
        reply = errorReply(401, 'unauthorized', 'bad or missing token');
      else if (typeof parsed === 'string') reply = errorReply(400, 'validation', 'body is not JSON');
      else
        reply = route(
          method,
          url.pathname.split('/').filter(Boolean).map(decodeURIComponent),
          url.searchParams,
          parsed,
        );
    }
    entry.status = reply.status;
    if (reply.fault !== undefined) entry.fault = reply.fault;
    const replyDelayMs = faults.replyDelayFor({ method, path: url.pathname });
    if (replyDelayMs > 0) await sleep(replyDelayMs, undefined, { ref: false });
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    store,
    faults,
    requests(filter = {}) {
      return log.filter(
        (r) =>
          (filter.method === undefined || r.method === filter.method) &&
          (filter.pathPrefix === undefined || r.path.startsWith(filter.pathPrefix)),
      );
    },
    clearRequests() {
      log.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
