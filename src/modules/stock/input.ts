import type { z } from '@hono/zod-openapi';
import { errors } from '../../shared/errors/index.js';

/**
 * Validates a service input with its zod schema and turns failures into a 400 listing every offending
 * path, so callers that bypass the REST layer (other modules, imports) get the same answer as the API.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
  throw errors.validation('input does not match the schema', issues);
}
