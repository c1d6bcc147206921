import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import type { HostResolver, UrlPolicy } from './url-guard.js';
import { checkUrl, createUrlPolicy, guardedLookup, RefusedAddressError } from './url-guard.js';

export interface WebhookTarget {
  url: string;
  /** Standard Webhooks secret, `whsec_<base64>`. */
  secret: string;
  /** Operator exceptions to the address guard: IPs, CIDR ranges, host names. */
  allow?: readonly string[];
  /** Per attempt, connection to end of response (default 10 s). */
  timeoutMs?: number;
  /** Attempts per message, first included (default 4). */
  maxAttempts?: number;
  /** Backoff before retry n: min(maxDelayMs, baseDelayMs × 2^(n−1)), half of it jittered (default 1 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  resolver?: HostResolver;
  rng?: () => number;
}

export interface WebhookDelivery {
  ok: boolean;
  messageId: string;
  attempts: number;
  /** HTTP status of the last attempt, if one answered. */
  status?: number;
  error?: string;
}

export interface WebhookSender {
  /** Where it posts, without credentials, for logs. */
  readonly target: string;
  send(payload: unknown, options?: { messageId?: string }): Promise<WebhookDelivery>;
}

interface AttemptResult {
  status?: number;
  error?: string;
  retry: boolean;
  retryAfterMs?: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

function retryAfterMs(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['retry-after'];
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** 2xx succeeds; 3xx is a failure (redirects are never followed); 408, 429 and 5xx are worth retrying. */
function judge(status: number, headers: IncomingHttpHeaders): AttemptResult {
  if (status >= 200 && status < 300) return { status, retry: false };
  if (status >= 300 && status < 400) {
    const location = typeof headers.location === 'string' ? ` to ${headers.location}` : '';
    return { status, retry: false, error: `redirect${location} not followed (HTTP ${status})` };
  }
  if (status === 410)
    return { status, retry: false, error: 'endpoint gone (HTTP 410): remove or fix the webhook URL' };
  const retry = status === 408 || status === 429 || status >= 500;
  const after = retryAfterMs(headers);
  return { status, retry, error: `HTTP ${status}`, ...(after !== undefined && { retryAfterMs: after }) };
}

function postOnce(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  lookup: ReturnType<typeof guardedLookup>,
): Promise<AttemptResult> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
      lookup,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // The answer's body is not needed; a receiver that streams forever must not hold us.
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('close', () => resolve(judge(res.statusCode ?? 0, res.headers)));
      res.on('error', () => undefined);
    });
    req.on('error', (error: Error & { code?: string }) => {
      if (error instanceof RefusedAddressError || error.cause instanceof RefusedAddressError) {
        resolve({
          retry: false,
          error: (error.cause instanceof RefusedAddressError ? error.cause : error).message,
        });
      } else if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        resolve({ retry: true, error: `no answer within ${timeoutMs} ms` });
      } else resolve({ retry: true, error: `${error.code ?? error.name}: ${error.message}` });
    });
    req.end(body);
  });
}

/**
 * Posts JSON signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), to a
 * URL that passes the address guard, with a timeout per attempt and a bounded number of retries. The same
 * message id is sent on every attempt so the receiver can deduplicate; the timestamp and signature are
 * fresh each time so a late retry still passes a ±5 min tolerance.
 */
export function createWebhookSender(target: WebhookTarget): WebhookSender {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw errors.validation('invalid webhook URL', [{ path: ['url'], message: 'not a valid URL' }]);
  }
  if (!target.secret.startsWith('whsec_')) {
    throw errors.validation('invalid webhook secret', [
      { path: ['secret'], message: 'must be a Standard Webhooks secret, whsec_<base64>' },
    ]);
  }
  let signer: Webhook;
  try {
    signer = new Webhook(target.secret);
  } catch {
    throw errors.validation('invalid webhook secret', [
      { path: ['secret'], message: 'the part after whsec_ must be base64' },
    ]);
  }
  const policy: UrlPolicy = createUrlPolicy(target.allow);
  const lookup = guardedLookup(policy, target.resolver);
  const timeoutMs = target.timeoutMs ?? 10_000;
  const maxAttempts = Math.max(1, target.maxAttempts ?? 4);
  const base = target.baseDelayMs ?? 1000;
  const cap = target.maxDelayMs ?? 30_000;
  const rng = target.rng ?? Math.random;
  const shown = `${url.protocol}//${url.host}${url.pathname}`;

  return {
    target: shown,
    async send(payload, options = {}) {
      const messageId = options.messageId ?? `msg_${newId()}`;
      const body = JSON.stringify(payload);
      const checked = await checkUrl(url, { policy, resolve: false });
      if (!checked.ok) return { ok: false, messageId, attempts: 0, error: `refused: ${checked.reason}` };
      let last: AttemptResult = { retry: false };
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        const now = new Date();
        const headers = {
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(messageId, now, body),
        };
        last = await postOnce(url, body, headers, timeoutMs, lookup);
        if (last.error === undefined)
          return {
            ok: true,
            messageId,
            attempts: attempt,
            ...(last.status !== undefined && { status: last.status }),
          };
        if (!last.retry || attempt === maxAttempts) {
          return {
            ok: false,
            messageId,
            attempts: attempt,
            error: last.error,
            ...(last.status !== undefined && { status: last.status }),
          };
        }
        const backoff = Math.min(cap, base * 2 ** (attempt - 1));
        const delay = Math.min(cap, Math.max(backoff / 2 + rng() * (backoff / 2), last.retryAfterMs ?? 0));
        await sleep(delay);
      }
      return { ok: false, messageId, attempts: maxAttempts, error: last.error ?? 'not delivered' };
    },
  };
}
