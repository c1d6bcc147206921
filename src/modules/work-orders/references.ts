import { errors, isAppError } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';

/**
 * A reference in a request body that does not resolve is a 422 naming the field: the route exists (not a
 * 404) and the JSON is well-formed (not a 400), but the content cannot be accepted.
 */
export function unresolved(path: FieldIssue['path'], message: string, details: Record<string, unknown> = {}) {
  return errors.unprocessable(message, details, [{ path, message }]);
}

/** Runs a lookup in another module, turning its 404 into `null`. */
export async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  }
}
