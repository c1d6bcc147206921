import { errors } from '../../shared/errors/index.js';

/** A reference that does not resolve: the request is well-formed but cannot be accepted (422). */
export function unresolved(
  path: (string | number)[],
  message: string,
  details: Record<string, unknown> = {},
) {
  return errors.unprocessable(message, details, [{ path, message }]);
}

export { parseInput } from '../../shared/parse-input.js';
