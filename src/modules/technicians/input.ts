import type { z } from '@hono/zod-openapi';
import { errors } from '../../shared/errors/index.js';

/** Validates a service input and turns failures into a 400 listing every offending path. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw errors.validation(
    'input does not match the schema',
    result.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: issue.message,
    })),
  );
}
