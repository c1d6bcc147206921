import { z } from 'zod';
import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { dateSchema, externalIdOf, parsePayload } from '../../runtime/payload.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { buttonOptions } from '../../runtime/runtime.js';

export const disposePayloadSchema = z
  .object({
    /** The Tryton asset (id or number) when the crosswalk has none, e.g. the asset's `externalRefs.tryton`. */
    asset: z
      .union([z.number().int().positive(), z.string().trim().min(1)])
      .nullable()
      .optional(),
    disposalDate: dateSchema.nullable().optional(),
    reason: z.string().nullable().optional(),
  })
  .strict();

/** The Tryton asset id of an op: the crosswalk's externalId, else the payload's asset (id or number). */
async function assetIdOf(rt: TrytonRuntime, op: WriteOp, asset: string | number | null | undefined) {
  if (op.externalId !== undefined || asset === undefined || asset === null) return externalIdOf(op);
  if (typeof asset === 'number' || /^\d+$/.test(asset)) return Number(asset);
  const ids = await rt.client.search('account.asset', [['number', '=', asset]], { limit: 2 });
  return ids.length === 1
    ? (ids[0] as number)
    : opError('not_found', `no single Tryton asset numbered ${JSON.stringify(asset)}`, { number: asset });
}

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
    const parsed = parsePayload(disposePayloadSchema, op, 'asset');
    if (!parsed.ok) {
      results[index] = failedResult(op, parsed.error);
      continue;
    }
    const id = await assetIdOf(rt, op, parsed.value.asset);
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
    if (state === undefined)
      results[t.index] = failedResult(t.op, opError('not_found', `Tryton asset ${t.id} does not exist`));
    else if (state === 'closed') results[t.index] = okResult(t.op, t.id, true);
    else if (state !== 'running') {
      results[t.index] = failedResult(
        t.op,
        opError('validation', `Tryton asset ${t.id} is ${state}; only running assets can be disposed of`, {
          state,
        }),
      );
    } else if (!running.some((r) => r.id === t.id)) running.push(t);
  }
  const closed = await isolateFailures(running, async (items) => {
    await rt.client.execute(
      'account.asset',
      'close',
      items.map((t) => t.id),
      buttonOptions(rt),
    );
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
    results[t.index] = r?.ok
      ? okResult(t.op, t.id, true)
      : failedResult(t.op, r && !r.ok ? r.error : opError('transient', 'no result'));
  }
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
