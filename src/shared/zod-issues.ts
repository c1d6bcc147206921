import type { z } from 'zod';
import type { FieldIssue } from './errors/index.js';

/** Flattens zod issues into one entry per offending path, unknown keys included. */
export function issuesFromZod(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...base, key], message: 'unknown field' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push({ path: base, message: issue.message });
    } else {
      out.push({ path: base, message: issue.message });
    }
  }
  return out;
}
