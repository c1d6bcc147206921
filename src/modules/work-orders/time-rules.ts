import { errors } from '../../shared/errors/index.js';

/** Clocks drift between a technician's tablet and the server; beyond this a time "in the future" is a mistake. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function assertNotFuture(at: string, field: string): void {
  if (Date.parse(at) > Date.now() + CLOCK_SKEW_MS) {
    throw errors.validation(`${field} ${at} is in the future`, [
      { path: [field], message: 'must not be in the future' },
    ]);
  }
}

/** "Dates in the wrong order" are 400s naming the field and the earlier bound it violates. */
export function assertNotBefore(
  at: string,
  earlier: string | null,
  field: string,
  earlierName: string,
): void {
  if (earlier !== null && Date.parse(at) < Date.parse(earlier)) {
    throw errors.validation(
      `${field} ${at} is before ${earlierName} ${earlier}`,
      [{ path: [field], message: `must not be before ${earlierName} ${earlier}` }],
      { [earlierName]: earlier },
    );
  }
}
