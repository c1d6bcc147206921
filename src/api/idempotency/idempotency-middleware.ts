import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { nowIso } from '../../shared/clock.js';
import { AppError } from '../../shared/errors/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { ApiEnv } from '../api-env.js';

const RETENTION_MS = 48 * 3600 * 1000;
const replayedHeaders = ['content-type', 'etag', 'location'];

/**
 * `Idempotency-Key` on POST: the first request with a key claims it (a unique row), runs, and stores its
 * response; a retry with the same key and body gets that stored response; the same key with another body
 * is a 422; a retry while the first is still running is a 409. Keys are scoped to the calling token and
 * kept 48 h. 5xx responses are not stored, so the client may retry them.
 */
export function idempotency(): MiddlewareHandler<ApiEnv> {
  let lastPurge = 0;
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length < 1 || key.length > 255) {
      throw new AppError('validation', 'Idempotency-Key must be 1–255 characters', {
        issues: [{ path: ['header', 'idempotency-key'], message: 'length 1–255' }],
      });
    }
    const { db } = c.get('deps');
    const scopeKey = `${c.get('principal').tokenId}:${key}`;
    const body = await c.req.text();
    const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');

    const now = Date.now();
    if (now - lastPurge > 3600_000) {
      lastPurge = now;
      await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', new Date(now - RETENTION_MS).toISOString())
        .execute();
    }

    try {
      await db
        .insertInto('idempotency_keys')
        .values({
          scope_key: scopeKey,
          method: c.req.method,
          path: c.req.path,
          request_hash: requestHash,
          state: 'in_progress',
          status: null,
          response_body: null,
          response_headers: null,
          created_at: nowIso(),
        })
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const stored = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope_key', '=', scopeKey)
        .executeTakeFirst();
      if (!stored)
        throw new AppError(
          'conflict',
          'the request with this Idempotency-Key is being processed; retry shortly',
        );
      if (stored.request_hash !== requestHash) {
        throw new AppError('unprocessable', 'this Idempotency-Key was used with a different request body', {
          details: { idempotencyKey: key, originalPath: stored.path },
        });
      }
      if (stored.state !== 'done' || stored.status === null) {
        throw new AppError(
          'conflict',
          'the request with this Idempotency-Key is being processed; retry shortly',
        );
      }
      const headers = JSON.parse(stored.response_headers ?? '{}') as Record<string, string>;
      return new Response(stored.response_body, {
        status: stored.status,
        headers: { ...headers, 'idempotent-replayed': 'true' },
      });
    }

    let completed = false;
    try {
      await next();
      const res = c.res;
      if (res.status < 500) {
        const text = await res.clone().text();
        const headers: Record<string, string> = {};
        for (const name of replayedHeaders) {
          const value = res.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        await db
          .updateTable('idempotency_keys')
          .set({
            state: 'done',
            status: res.status,
            response_body: text,
            response_headers: JSON.stringify(headers),
          })
          .where('scope_key', '=', scopeKey)
          .execute();
        completed = true;
      }
    } finally {
      if (!completed) await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).execute();
    }
  };
}
