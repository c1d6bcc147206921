import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { externalIdOf } from '../../runtime/payload.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { buttonOptions } from '../../runtime/runtime.js';

/**
 * Disposal of fixed assets: Tryton's `close` (running → closed) writes the closing move. The asset's state
 * makes this idempotent without a reference: a closed asset is a replay. Tryton dates the closing move
 * today (the button takes no date); the Fieldsync disposal date stays on the Fieldsync side.
 */
export async function disposeAssets(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const targets: { index: number; op: WriteOp; id: number }[] = [];
  for (const [index, op] of ops.entries()) {
    if (op.op !== 'dispose') {
      results[index] = failedResult(op, opError('validation', `asset does not support op "${op.op}"`));
      continue;
    }
    const id = externalIdOf(op);
    if (typeof id === 'number') targets.push({ index, op, id });
    else results[index] = failedResult(op, id);
  }
  const ids = [...new Set(targets.map((t) => t.id))];
  const states = new Map(
    ids.length === 0
      ? []
      : (
          await rt.client.searchRead<{ id: number; state: string }>('account.asset', [['id', 'in', ids]], {
            fields: ['state'],
          })
        ).map((r) => [r.id, r.state]),
  );
  const running: typeof targets = [];
  for (const t of targets) {
    const state = states.get(t.id);
    if (state === undefined) results[t.index] = failedResult(t.op, opError('not_found', `Tryton asset ${t.id} does not exist`));
    else if (state === 'closed') results[t.index] = okResult(t.op, t.id, true);
    else if (state !== 'running') {
      results[t.index] = failedResult(
        t.op,
        opError('validation', `Tryton asset ${t.id} is ${state}; only running assets can be disposed of`, { state }),
      );
    } else if (!running.some((r) => r.id === t.id)) running.push(t);
  }
  const closed = await isolateFailures(running, async (items) => {
    await rt.client.execute('account.asset', 'close', items.map((t) => t.id), buttonOptions(rt));
    return items.map(() => undefined);
  });
  closed.forEach((outcome, i) => {
    const t = running[i] as (typeof running)[number];
    results[t.index] = outcome.ok ? okResult(t.op, t.id) : failedResult(t.op, outcome.error);
  });
  for (const t of targets) {
    if (results[t.index] !== undefined) continue;
    const same = running.find((r) => r.id === t.id);
    const r = same ? results[same.index] : undefined;
    results[t.index] = r?.ok ? okResult(t.op, t.id, true) : failedResult(t.op, r && !r.ok ? r.error : opError('transient', 'no result'));
  }
  return results.map((r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')));
}
