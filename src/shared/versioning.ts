import { errors } from './errors/index.js';

/** Optimistic concurrency: a write that names the version it saw fails if the record moved on. */
export function assertVersion(
  entity: string,
  id: string,
  current: number,
  expected: number | undefined,
): void {
  if (expected !== undefined && expected !== current) {
    throw errors.preconditionFailed(
      `${entity} ${id} is at version ${current}, not ${expected}; reload and retry`,
      {
        currentVersion: current,
        expectedVersion: expected,
      },
    );
  }
}
