import type { z } from 'zod';
import { errors } from './errors/index.js';
import { issuesFromZod } from './zod-issues.js';

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
  const issues = issuesFromZod(result.error, prefix);
  throw errors.validation(
    issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    issues,
  );
}
