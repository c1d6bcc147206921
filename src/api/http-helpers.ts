import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { errors } from '../shared/errors/index.js';

export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * Reads If-Match as the version the client last saw. Absent → undefined (unconditional update);
 * `*` → undefined; a malformed value is a 400 rather than a silent overwrite.
 */
export function expectedVersion(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match)
    throw errors.validation('If-Match must be an ETag such as "3"', [
      { path: ['header', 'if-match'], message: 'malformed ETag' },
    ]);
  return Number(match[1]);
}

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded || encodeCursor(decoded) !== cursor) {
    throw errors.validation('cursor is not one this API returned', [
      { path: ['query', 'cursor'], message: 'invalid cursor' },
    ]);
  }
  return decoded;
}

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'Page size (1–500)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The nextCursor of the previous page' }),
};

export function pageOf<T>(schema: T) {
  return z.object({ data: z.array(schema as z.ZodType), nextCursor: z.string().nullable() });
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: problemSchema } };
export const problemResponses = {
  400: { description: 'Invalid request (every offending path listed)', content: problemContent },
  401: { description: 'Missing or invalid token', content: problemContent },
  403: { description: 'Token lacks the scope', content: problemContent },
  404: { description: 'Not found', content: problemContent },
  409: { description: 'Conflict with current state', content: problemContent },
  412: { description: 'Stale If-Match', content: problemContent },
  413: { description: 'Body too large', content: problemContent },
  422: {
    description: 'Semantically invalid / idempotency key reused with another body',
    content: problemContent,
  },
} as const;

export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
