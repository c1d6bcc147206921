import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logging/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import type { AlertNotification, HostResolver } from '../../src/sync/alerts/index.js';
import {
  checkUrl,
  createAlertNotifier,
  createUrlPolicy,
  createWebhookSender,
} from '../../src/sync/alerts/index.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; headers?: Record<string, string> } | 'hang';

interface Receiver {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

/** A webhook endpoint on loopback; `answer(n)` decides the reply to the n-th request (1-based). */
async function startReceiver(answer: (n: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const reply = answer(received.length);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver = {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(receiver);
  return receiver;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const fast = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };

function verify(secret: string, r: Received): unknown {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(r.body, headers);
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('alert webhook delivery (R10, R11)', () => {
  it('posts JSON signed with Standard Webhooks headers that standardwebhooks verifies', async () => {
    const receiver = await startReceiver();
    const secret = newSecret();
    const sender = createWebhookSender({ url: receiver.url, secret, allow: ['127.0.0.1'], ...fast });
    const payload = { type: 'sync.alert.firing', data: { rule: 'lag', value: 301 } };
    const result = await sender.send(payload);
    expect(result).toMatchObject({ ok: true, attempts: 1, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(verify(secret, request!)).toEqual(payload);
    expect(request!.headers['webhook-id']).toBe(result.messageId);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // Another secret does not verify: the signature really covers the body.
    expect(() => verify(newSecret(), request!)).toThrow();
    expect(() =>
      new Webhook(secret).verify(`${request!.body} `, request!.headers as Record<string, string>),
    ).toThrow();
  });

  it('retries 503 and 429 with the same message id and a fresh valid signature each time', async () => {
    const receiver = await startReceiver((n) =>
      n === 1
        ? { status: 503 }
        : n === 2
          ? { status: 429, headers: { 'retry-after': '0' } }
          : { status: 204 },
    );
    const secret = newSecret();
    const sender = createWebhookSender({ url: receiver.url, secret, allow: ['127.0.0.1'], ...fast });
    const result = await sender.send({ n: 1 }, { messageId: 'msg_fixed' });
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 204, messageId: 'msg_fixed' });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      'msg_fixed',
      'msg_fixed',
      'msg_fixed',
    ]);
    for (const r of receiver.received) expect(verify(secret, r)).toEqual({ n: 1 });
  });

  it('gives up after maxAttempts on a receiver that keeps failing', async () => {
    const receiver = await startReceiver(() => ({ status: 500 }));
    const sender = createWebhookSender({
      url: receiver.url,
      secret: newSecret(),
      allow: ['127.0.0.1'],
      ...fast,
      maxAttempts: 3,
    });
    expect(await sender.send({})).toMatchObject({ ok: false, attempts: 3, status: 500, error: 'HTTP 500' });
    expect(receiver.received).toHaveLength(3);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const elsewhere = await startReceiver();
    const receiver = await startReceiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const sender = createWebhookSender({
      url: receiver.url,
      secret: newSecret(),
      allow: ['127.0.0.1'],
      ...fast,
    });
    const result = await sender.send({});
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 307 });
    expect(result.error).toContain('not followed');
    expect(elsewhere.received).toHaveLength(0);
  });

  it('does not retry 410 Gone or another 4xx', async () => {
    for (const status of [410, 400]) {
      const receiver = await startReceiver(() => ({ status }));
      const sender = createWebhookSender({
        url: receiver.url,
        secret: newSecret(),
        allow: ['127.0.0.1'],
        ...fast,
      });
      expect(await sender.send({})).toMatchObject({ ok: false, attempts: 1, status });
      expect(receiver.received).toHaveLength(1);
    }
  });

  it('times out a receiver that never answers, each attempt bounded', async () => {
    const receiver = await startReceiver(() => 'hang');
    const sender = createWebhookSender({
      url: receiver.url,
      secret: newSecret(),
      allow: ['127.0.0.1'],
      ...fast,
      timeoutMs: 150,
      maxAttempts: 2,
    });
    expect(await sender.send({})).toMatchObject({ ok: false, attempts: 2, error: 'no answer within 150 ms' });
    expect(receiver.received).toHaveLength(2);
  });

  it('refuses loopback, in any spelling, unless the operator allow-lists it', async () => {
    const receiver = await startReceiver();
    for (const url of [
      receiver.url,
      `http://127.1:${receiver.port}/`,
      `http://0x7f.0.0.1:${receiver.port}/`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/`,
    ]) {
      const sender = createWebhookSender({ url, secret: newSecret(), ...fast });
      const result = await sender.send({});
      expect(result, url).toMatchObject({ ok: false, attempts: 0 });
      expect(result.error).toContain('loopback');
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('checks the DNS answers it actually connects to (rebinding cannot reach a refused address)', async () => {
    const receiver = await startReceiver();
    const answers: string[][] = [];
    const resolver: HostResolver = async () => {
      const next = answers.shift() ?? ['127.0.0.1'];
      return next.map((address) => ({ address, family: 4 }));
    };
    const url = `http://hooks.example.test:${receiver.port}/hooks`;
    // A name that resolves to loopback is refused when loopback is not allow-listed...
    const refused = await createWebhookSender({ url, secret: newSecret(), resolver, ...fast }).send({});
    expect(refused).toMatchObject({ ok: false, attempts: 1 });
    expect(refused.error).toContain('resolves to 127.0.0.1');
    // ...even when the check before sending saw a public answer (the request resolves again and checks again).
    answers.push(['93.184.216.34']);
    const policy = createUrlPolicy();
    expect(await checkUrl(url, { policy, resolver })).toMatchObject({ ok: true });
    expect(await createWebhookSender({ url, secret: newSecret(), resolver, ...fast }).send({})).toMatchObject(
      { ok: false },
    );
    expect(receiver.received).toHaveLength(0);
    // Allow-listed, the same name is delivered through the guarded lookup.
    const secret = newSecret();
    const ok = await createWebhookSender({ url, secret, resolver, allow: ['127.0.0.1'], ...fast }).send({
      hello: 'dns',
    });
    expect(ok).toMatchObject({ ok: true, attempts: 1 });
    expect(receiver.received[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
    expect(verify(secret, receiver.received[0]!)).toEqual({ hello: 'dns' });
  });

  it('rejects a bad URL or secret when configured', () => {
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        if (error instanceof AppError) return error;
      }
      throw new Error('expected an AppError');
    };
    expect(caught(() => createWebhookSender({ url: 'nope', secret: newSecret() })).issues[0]?.path).toEqual([
      'url',
    ]);
    expect(
      caught(() => createWebhookSender({ url: 'https://hooks.example.com/', secret: 'plain-secret' }))
        .issues[0]?.path,
    ).toEqual(['secret']);
    expect(
      caught(() => createWebhookSender({ url: 'https://hooks.example.com/', secret: 'whsec_not base64!' }))
        .issues[0]?.path,
    ).toEqual(['secret']);
    expect(() =>
      createWebhookSender({ url: 'https://hooks.example.com/', secret: newSecret(), allow: ['10.0.0.0/40'] }),
    ).toThrow(AppError);
  });

  it('logs every notification, and a webhook failure as an error, without throwing', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write: (chunk: Buffer, _e, done) => (
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>),
          done()
        ),
      }),
    );
    const receiver = await startReceiver(() => ({ status: 500 }));
    const secret = newSecret();
    const notifier = createAlertNotifier({
      logger,
      webhook: { url: receiver.url, secret, allow: ['127.0.0.1'], ...fast, maxAttempts: 2 },
    });
    const notification: AlertNotification = {
      id: 'n1',
      kind: 'firing',
      rule: 'dead_letters',
      state: 'firing',
      value: 2,
      threshold: 0,
      forSeconds: 600,
      since: new Date().toISOString(),
      at: new Date().toISOString(),
      message: '2 dead letter(s)',
      details: {},
    };
    const result = await notifier.notify(notification);
    expect(result.webhook).toMatchObject({ ok: false, attempts: 2, messageId: 'msg_n1' });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'alert dead_letters firing: 2 dead letter(s)'],
      [50, 'alert webhook delivery failed'],
    ]);
    expect(JSON.stringify(lines)).not.toContain(secret.slice(6));
    expect(verify(secret, receiver.received[0]!)).toMatchObject({
      type: 'sync.alert.firing',
      data: { id: 'n1', rule: 'dead_letters' },
    });
  });
});
