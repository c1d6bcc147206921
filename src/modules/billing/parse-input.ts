import type { z } from '@hono/zod-openapi';
import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';

/**
 * Services re-validate their input with the same schema the API uses, so a direct caller (another module,
 * the CLI, the benchmark) gets the same 400 with every offending path instead of a raw ZodError.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  prefix: (string | number)[] = [],
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) issues.push({ path: [...path, key], message: 'unknown field' });
    else issues.push({ path, message: issue.message });
  }
  throw errors.validation(
    issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    issues,
  );
}
