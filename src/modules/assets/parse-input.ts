import type { z } from '@hono/zod-openapi';
import { errors } from '../../shared/errors/index.js';

/**
 * Services re-validate their input because other modules call them directly, not only through the API; a
 * schema failure becomes the same 400 (every offending path listed) the API would have produced.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
    return [{ path, message: issue.message }];
  });
  throw errors.validation('input does not match the schema', issues);
}
