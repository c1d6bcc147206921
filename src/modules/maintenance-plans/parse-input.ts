import type { z } from '@hono/zod-openapi';
import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';

/** Services validate with the API's schema, so direct callers get the same 400 listing every path. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) issues.push({ path: [...path, key], message: 'unknown field' });
    else issues.push({ path, message: issue.message });
  }
  throw errors.validation(
    issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    issues,
  );
}

/** A reference that does not resolve: the request is well-formed but cannot be accepted (422). */
export function unresolved(
  path: (string | number)[],
  message: string,
  details: Record<string, unknown> = {},
) {
  return errors.unprocessable(message, details, [{ path, message }]);
}
