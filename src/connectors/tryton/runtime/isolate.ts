import { isPerOpFailure } from './errors.js';

/**
 * Runs `call` on a whole batch (one RPC, the fast path). Tryton applies a call all-or-nothing, so when it
 * refuses the batch for the data of one op, the batch is split in halves until each refusal is pinned on
 * its op; the other ops still succeed. Failures that are not about data (down, timeout, auth) abort the
 * whole batch: they are rethrown for the engine to retry.
 */
export async function isolateFailures<T, R>(
  items: readonly T[],
  call: (items: readonly T[]) => Promise<R[]>,
): Promise<({ ok: true; value: R } | { ok: false; error: unknown })[]> {
  if (items.length === 0) return [];
  try {
    const values = await call(items);
    return items.map((_, i) => ({ ok: true as const, value: values[i] as R }));
  } catch (error) {
    if (!isPerOpFailure(error)) throw error;
    if (items.length === 1) return [{ ok: false, error }];
    const middle = Math.ceil(items.length / 2);
    const left = await isolateFailures(items.slice(0, middle), call);
    const right = await isolateFailures(items.slice(middle), call);
    return [...left, ...right];
  }
}
