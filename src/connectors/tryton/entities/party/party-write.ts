import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { externalIdOf, parsePayload } from '../../runtime/payload.js';
import { masterReference, referenceTag } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { includeInactive } from '../../runtime/runtime.js';
import { canonicalStamp, stampOf } from '../../runtime/stamps.js';
import { addressCommands, addressesOf, mechanismCommands } from './party-addresses.js';
import type { ExistingAddress, ExistingMechanism } from './party-addresses.js';
import { mechanismsOf, partyPayloadSchema } from './party-payload.js';
import type { PartyPayload } from './party-payload.js';

interface Planned {
  index: number;
  op: WriteOp;
  payload: PartyPayload;
  tag: string;
  /** Known Tryton id (externalId, or found by the tag); undefined → to be created. */
  target?: number;
  /** The op was already applied by an earlier attempt (found by its tag). */
  replayed: boolean;
  /** Another op of this batch creates the party; this one updates it afterwards. */
  after?: Planned;
}

async function createValues(rt: TrytonRuntime, p: Planned): Promise<Record<string, unknown>> {
  const addresses = await addressesOf(rt, p.payload);
  const mechanisms = mechanismsOf(p.payload);
  return {
    name: p.payload.name,
    ...(p.payload.code ? { code: p.payload.code } : {}),
    ...(p.payload.active === undefined ? {} : { active: p.payload.active }),
    identifiers: [['create', [{ code: p.tag }]]],
    ...(addresses.length > 0 ? { addresses: [['create', addresses]] } : {}),
    ...(mechanisms.length > 0 ? { contact_mechanisms: [['create', mechanisms]] } : {}),
  };
}

async function updateValues(
  rt: TrytonRuntime,
  p: Planned,
  addresses: readonly ExistingAddress[],
  mechanisms: readonly ExistingMechanism[],
): Promise<Record<string, unknown>> {
  const addressCmds = addressCommands(addresses, await addressesOf(rt, p.payload));
  const mechanismCmds = mechanismCommands(mechanisms, mechanismsOf(p.payload));
  return {
    name: p.payload.name,
    ...(p.payload.code ? { code: p.payload.code } : {}),
    ...(p.payload.active === undefined ? {} : { active: p.payload.active }),
    ...(addressCmds.length > 0 ? { addresses: addressCmds } : {}),
    ...(mechanismCmds.length > 0 ? { contact_mechanisms: mechanismCmds } : {}),
  };
}

/**
 * For updates carrying `ifUnmodifiedSince`: a party whose stamp moved on is a conflict now; for the others,
 * Tryton's own `_timestamp` (read together with the stamp) guards the write against a change in between.
 */
async function optimisticTimestamps(
  rt: TrytonRuntime,
  round: readonly Planned[],
  results: (WriteResult | undefined)[],
): Promise<Map<number, string>> {
  const checked = round.filter((p) => p.payload.ifUnmodifiedSince !== undefined);
  const out = new Map<number, string>();
  if (checked.length === 0) return out;
  const rows = await rt.client.read<{ id: number; _timestamp: string } & Record<string, unknown>>(
    'party.party',
    checked.map((p) => p.target as number),
    ['_timestamp', 'create_date', 'write_date'],
    { context: includeInactive },
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const p of checked) {
    const row = byId.get(p.target as number);
    let expected: string;
    try {
      expected = canonicalStamp(p.payload.ifUnmodifiedSince as string);
    } catch {
      results[p.index] = failedResult(
        p.op,
        opError('validation', 'ifUnmodifiedSince is not an ISO date-time'),
      );
      continue;
    }
    if (!row || stampOf(row) !== expected) {
      const message = `Tryton party ${p.target} changed since ${p.payload.ifUnmodifiedSince} (now ${row ? stampOf(row) : 'gone'})`;
      results[p.index] = failedResult(
        p.op,
        opError('conflict', message, { kind: 'stale', current: row ? stampOf(row) : null }),
      );
      continue;
    }
    out.set(p.target as number, row._timestamp);
  }
  return out;
}

/** Updates in rounds of at most one op per party, each round one multi-record `write` call. */
async function applyUpdates(rt: TrytonRuntime, updates: Planned[], results: (WriteResult | undefined)[]) {
  let pending = updates;
  while (pending.length > 0) {
    const seen = new Set<number>();
    const round = pending.filter((p) => !seen.has(p.target as number) && seen.add(p.target as number));
    pending = pending.filter((p) => !round.includes(p));
    const ids = round.map((p) => p.target as number);
    const [addresses, mechanisms] = await Promise.all([
      rt.client.searchRead<ExistingAddress>('party.address', [['party', 'in', ids]], {
        fields: ['party', 'name', 'street', 'postal_code', 'city', 'country', 'active'],
        context: includeInactive,
      }),
      rt.client.searchRead<ExistingMechanism>('party.contact_mechanism', [['party', 'in', ids]], {
        fields: ['party', 'type', 'value'],
        context: includeInactive,
      }),
    ]);
    const timestamps = await optimisticTimestamps(rt, round, results);
    const prepared: { p: Planned; values: Record<string, unknown> }[] = [];
    for (const p of round) {
      if (results[p.index] !== undefined) continue;
      try {
        const values = await updateValues(
          rt,
          p,
          addresses.filter((a) => a.party === p.target),
          mechanisms.filter((m) => m.party === p.target),
        );
        prepared.push({ p, values });
      } catch (error) {
        results[p.index] = failedResult(p.op, error);
      }
    }
    const outcomes = await isolateFailures(prepared, async (items) => {
      const _timestamp = Object.fromEntries(
        items.flatMap(({ p }) => {
          const ts = timestamps.get(p.target as number);
          return ts === undefined ? [] : [[`party.party,${p.target}`, ts]];
        }),
      );
      await rt.client.model(
        'party.party',
        'write',
        items.flatMap(({ p, values }) => [[p.target], values]),
        {
          context: { ...includeInactive, ...(Object.keys(_timestamp).length > 0 ? { _timestamp } : {}) },
        },
      );
      return items.map(() => undefined);
    });
    outcomes.forEach((outcome, i) => {
      const { p } = prepared[i] as { p: Planned };
      results[p.index] = outcome.ok
        ? okResult(p.op, p.target as number, p.replayed)
        : failedResult(p.op, outcome.error);
    });
  }
}

/**
 * create / update / upsert of parties. Creates carry a `party.identifier` with the Fieldsync reference and
 * are looked up by it first; a found party is updated with the payload (the retry of a create, or an
 * update whose create was never acknowledged). All creates of a batch go in one `create` call.
 */
export async function writeParties(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const planned: Planned[] = [];
  for (const [index, op] of ops.entries()) {
    if (!['create', 'update', 'upsert'].includes(op.op)) {
      results[index] = failedResult(op, opError('validation', `party does not support op "${op.op}"`));
      continue;
    }
    // The op-level guard (SDK `ifUnmodifiedSince`) is the payload's own optimistic check.
    const guarded =
      op.ifUnmodifiedSince === undefined
        ? op
        : { ...op, payload: { ...op.payload, ifUnmodifiedSince: op.ifUnmodifiedSince } };
    const parsed = parsePayload(partyPayloadSchema, guarded, 'party');
    if (!parsed.ok) {
      results[index] = failedResult(op, parsed.error);
      continue;
    }
    const p: Planned = {
      index,
      op,
      payload: parsed.value,
      tag: referenceTag(masterReference(op)),
      replayed: false,
    };
    if (op.op === 'update' || (op.op === 'upsert' && op.externalId !== undefined)) {
      const id = externalIdOf(op);
      if (typeof id !== 'number') {
        results[index] = failedResult(op, id);
        continue;
      }
      p.target = id;
    }
    planned.push(p);
  }

  // Updates of ids we were given must find them: a party deleted in Tryton is not_found, not recreated.
  const given = planned.filter((p) => p.target !== undefined);
  const alive = new Set(
    given.length === 0
      ? []
      : await rt.client.search('party.party', [['id', 'in', given.map((p) => p.target as number)]], {
          context: includeInactive,
        }),
  );
  for (const p of given) {
    if (!alive.has(p.target as number)) {
      results[p.index] = failedResult(p.op, opError('not_found', `Tryton party ${p.target} does not exist`));
    }
  }

  // Look up before create: one search for every tag of the batch.
  const lookups = planned.filter((p) => p.target === undefined);
  const found = new Map<string, number>();
  if (lookups.length > 0) {
    const rows = await rt.client.searchRead<{ party: number; code: string }>(
      'party.identifier',
      [['code', 'in', [...new Set(lookups.map((p) => p.tag))]]],
      { fields: ['party', 'code'], context: includeInactive },
    );
    for (const row of rows) if (!found.has(row.code)) found.set(row.code, row.party);
  }
  const creators = new Map<string, Planned>();
  const toCreate: Planned[] = [];
  for (const p of lookups) {
    const existing = found.get(p.tag);
    if (existing !== undefined) {
      p.target = existing;
      p.replayed = p.op.op === 'create';
    } else if (creators.has(p.tag)) {
      p.after = creators.get(p.tag);
    } else {
      creators.set(p.tag, p);
      toCreate.push(p);
    }
  }

  const prepared: { p: Planned; values: Record<string, unknown> }[] = [];
  for (const p of toCreate) {
    try {
      prepared.push({ p, values: await createValues(rt, p) });
    } catch (error) {
      results[p.index] = failedResult(p.op, error);
    }
  }
  const created = await isolateFailures(prepared, (items) =>
    rt.client.create(
      'party.party',
      items.map((i) => i.values),
    ),
  );
  created.forEach((outcome, i) => {
    const { p } = prepared[i] as { p: Planned };
    if (outcome.ok) {
      p.target = outcome.value;
      results[p.index] = okResult(p.op, outcome.value);
    } else results[p.index] = failedResult(p.op, outcome.error);
  });

  const updates = planned.filter((p) => {
    if (results[p.index] !== undefined) return false;
    if (p.after) {
      if (p.after.target === undefined) {
        results[p.index] = failedResult(
          p.op,
          opError('validation', 'the create of this party in the same batch failed'),
        );
        return false;
      }
      p.target = p.after.target;
    }
    return p.target !== undefined;
  });
  await applyUpdates(rt, updates, results);
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
