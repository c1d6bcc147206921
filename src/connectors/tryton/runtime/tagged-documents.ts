import type { z } from 'zod';
import type { WriteOp, WriteResult } from '../../sdk/connector.js';
import { failedResult, okResult, opError } from './errors.js';
import { isolateFailures } from './isolate.js';
import { findMarked, markRecords } from './markers.js';
import type { Mark } from './markers.js';
import { parsePayload } from './payload.js';
import { documentReference, lookUpBeforeCreate, referenceTag } from './references.js';
import type { TrytonRuntime } from './runtime.js';
import { buttonOptions } from './runtime.js';

export interface TaggedOp<P> {
  index: number;
  op: WriteOp;
  payload: P;
  tag: string;
}

/** A document Tryton creates in draft and then executes with a button (stock moves, inventories). */
export interface TaggedDocument<P> {
  entity: string;
  model: string;
  schema: z.ZodType<P>;
  /** The records one op creates (zero is allowed: a work order without parts moves nothing). */
  build(rt: TrytonRuntime, op: TaggedOp<P>): Promise<Record<string, unknown>[]>;
  /** Label shown on the records in Tryton. */
  label(op: TaggedOp<P>): string;
  button: string;
  doneStates: readonly string[];
  /** Whether to run the button at all (default: always); false leaves the records in draft. */
  execute?: (rt: TrytonRuntime) => boolean;
}

/**
 * The draft → tag → execute protocol of markers.ts for a batch: one search for the tags of ops that may
 * have been sent before (none when the batch is all first attempts), one create for every new record, one
 * attachment create (a batch mark), one button call; data refusals are pinned on their op.
 */
export async function writeTagged<P>(
  rt: TrytonRuntime,
  doc: TaggedDocument<P>,
  ops: readonly WriteOp[],
): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const planned: TaggedOp<P>[] = [];
  const firstByTag = new Map<string, number>();
  const copies: { index: number; of: number }[] = [];
  for (const [index, op] of ops.entries()) {
    if (op.op !== 'create') {
      results[index] = failedResult(
        op,
        opError('validation', `${doc.entity} does not support op "${op.op}"`),
      );
      continue;
    }
    const parsed = parsePayload(doc.schema, op, doc.entity);
    if (!parsed.ok) {
      results[index] = failedResult(op, parsed.error);
      continue;
    }
    const tag = referenceTag(documentReference(op));
    const first = firstByTag.get(tag);
    if (first !== undefined) {
      copies.push({ index, of: first });
      continue;
    }
    firstByTag.set(tag, index);
    planned.push({ index, op, payload: parsed.value, tag });
  }

  const marked = await findMarked(
    rt,
    doc.model,
    planned.filter((p) => lookUpBeforeCreate(p.op)).map((p) => p.tag),
  );
  const idsOf = new Map<number, number[]>();
  const replayed = new Set<number>();
  const fresh: { p: TaggedOp<P>; values: Record<string, unknown>[] }[] = [];
  for (const p of planned) {
    const found = marked.get(p.tag);
    if (found) {
      idsOf.set(p.index, found.ids);
      replayed.add(p.index);
      continue;
    }
    try {
      const values = await doc.build(rt, p);
      if (values.length === 0) idsOf.set(p.index, []);
      else fresh.push({ p, values });
    } catch (error) {
      results[p.index] = failedResult(p.op, error);
    }
  }

  // What each successful create call made: one batch mark per call (one per batch unless a refusal split it).
  const calls: Mark[][] = [];
  const created = await isolateFailures(fresh, async (items) => {
    const ids = await rt.client.create(
      doc.model,
      items.flatMap((i) => i.values),
    );
    let offset = 0;
    const perOp = items.map((i) => ids.slice(offset, (offset += i.values.length)));
    calls.push(items.map((i, k) => ({ tag: i.p.tag, label: doc.label(i.p), ids: perOp[k] ?? [] })));
    return perOp;
  });
  created.forEach((outcome, i) => {
    const { p } = fresh[i] as { p: TaggedOp<P> };
    if (!outcome.ok) results[p.index] = failedResult(p.op, outcome.error);
    else idsOf.set(p.index, outcome.value);
  });
  await markRecords(rt, doc.model, calls);

  // Execute what is not executed yet: everything just created, and drafts left by an interrupted attempt.
  const execute = doc.execute?.(rt) ?? true;
  const withIds = planned.filter(
    (p) => execute && results[p.index] === undefined && (idsOf.get(p.index)?.length ?? 0) > 0,
  );
  // Records created by this call are drafts; only those found by their tag (an earlier attempt may have
  // executed them) need their state read, so a first attempt costs no read.
  const foundIds = withIds.filter((p) => replayed.has(p.index)).flatMap((p) => idsOf.get(p.index) ?? []);
  const states = new Map(
    foundIds.length === 0
      ? []
      : (await rt.client.read<{ id: number; state: string }>(doc.model, foundIds, ['state'])).map((r) => [
          r.id,
          r.state,
        ]),
  );
  const pending = withIds
    .map((p) => ({
      p,
      ids: (idsOf.get(p.index) ?? []).filter((id) => !doc.doneStates.includes(states.get(id) ?? '')),
    }))
    .filter((x) => x.ids.length > 0);
  const executed = await isolateFailures(pending, async (items) => {
    await rt.client.execute(
      doc.model,
      doc.button,
      items.flatMap((i) => i.ids),
      buttonOptions(rt),
    );
    return items.map(() => undefined);
  });
  executed.forEach((outcome, i) => {
    const { p } = pending[i] as { p: TaggedOp<P> };
    if (!outcome.ok) results[p.index] = failedResult(p.op, outcome.error);
  });

  for (const p of planned) {
    if (results[p.index] !== undefined) continue;
    const first = idsOf.get(p.index)?.[0];
    results[p.index] =
      first === undefined
        ? {
            idempotencyKey: p.op.idempotencyKey,
            ok: true,
            ...(replayed.has(p.index) ? { replayed: true } : {}),
          }
        : okResult(p.op, first, replayed.has(p.index));
  }
  for (const { index, of } of copies) {
    const original = results[of];
    const op = ops[index] as WriteOp;
    results[index] = original?.ok
      ? { ...original, idempotencyKey: op.idempotencyKey, replayed: true }
      : failedResult(op, original && !original.ok ? original.error : opError('transient', 'no result'));
  }
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
