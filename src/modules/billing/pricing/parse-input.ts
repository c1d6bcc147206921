import { errors } from '../../../shared/errors/index.js';
import { pricingInputSchema } from './input-schema.js';
import type { PricingInput } from './input-schema.js';

/** Validates untrusted input (an API body, a file) and reports every problem at once with its path. */
export function parsePricingInput(raw: unknown): PricingInput {
  const result = pricingInputSchema.safeParse(raw);
  if (result.success) return result.data;
  throw errors.validation(
    'invalid pricing input',
    result.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: issue.message,
    })),
  );
}
