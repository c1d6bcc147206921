import fc from 'fast-check';
import { expect, it } from 'vitest';
import { getCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { listConflicts, resolveConflict } from '../../src/sync/conflicts/index.js';
import { pullOriginOf } from '../../src/sync/inbound/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { eventsOf, localIdOf, pullFixture, rand } from './pull-fixture.js';

// R6: random interleavings of local edits, ERP edits, pulls and resolutions on a few records and fields.
// After the last pull every field must hold what the ownership policy (docs/sync/conflicts.md) says, and
// every change the policy does not allow must sit in exactly one open conflict with both values.
// The model below restates the policy on its own; it shares no code with the implementation.

const fields = ['name', 'phone', 'email', 'legalName'] as const;
type Field = (typeof fields)[number];
type Policy = 'erp' | 'fieldsync' | 'shared-manual' | 'shared-erp-wins';
const policy: Record<Field, Policy> = {
  name: 'erp',
  phone: 'fieldsync',
  email: 'shared-manual',
  legalName: 'shared-erp-wins',
};
const erpName: Record<Field, string> = { name: 'name', phone: 'phone', email: 'email', legalName: 'legal' };
const valueOf = (field: Field, k: number): string =>
  field === 'name' ? `N${k}` : field === 'phone' ? `+1 ${k}` : field === 'email' ? `e${k}@x.io` : `L${k}`;

type Command =
  | { t: 'local'; r: number; f: Field; v: number }
  | { t: 'erp'; r: number; f: Field; v: number }
  | { t: 'pull' }
  | { t: 'resolve'; r: number; f: Field; how: 'take_erp' | 'take_ours' };

interface ModelRecord {
  erp: Record<Field, string>;
  local: Record<Field, string>;
  baseErp: Record<Field, string>;
  baseLocal: Record<Field, string>;
  open: Partial<Record<Field, { erp: string; local: string }>>;
  erpVersion: number;
  pulledVersion: number;
}

class PolicyModel {
  readonly records: ModelRecord[];
  settled = 0;

  constructor(count: number) {
    const initial = Object.fromEntries(fields.map((f) => [f, valueOf(f, 0)])) as Record<Field, string>;
    this.records = Array.from({ length: count }, () => ({
      erp: { ...initial },
      local: { ...initial },
      baseErp: { ...initial },
      baseLocal: { ...initial },
      open: {},
      erpVersion: 1,
      pulledVersion: 1,
    }));
  }

  pull(): void {
    for (const rec of this.records) {
      if (rec.erpVersion === rec.pulledVersion) continue; // an unchanged ERP record is not looked at again
      rec.pulledVersion = rec.erpVersion;
      for (const f of fields) this.#evaluate(rec, f);
    }
  }

  #evaluate(rec: ModelRecord, f: Field): void {
    const e = rec.erp[f];
    const l = rec.local[f];
    const settle = (value: string) => {
      rec.local[f] = value;
      rec.baseErp[f] = value;
      rec.baseLocal[f] = value;
    };
    if (e === l) {
      settle(e);
      delete rec.open[f];
      return;
    }
    const erpChanged = e !== rec.baseErp[f];
    const localChanged = l !== rec.baseLocal[f];
    const p = policy[f];
    const hold =
      (p === 'erp' && localChanged) ||
      (p === 'fieldsync' && erpChanged) ||
      (p === 'shared-manual' && erpChanged && localChanged);
    if (hold) {
      rec.open[f] = { erp: e, local: l };
      return;
    }
    delete rec.open[f];
    if (p === 'shared-erp-wins' && erpChanged && localChanged) {
      this.settled += 1;
      settle(e);
    } else if (erpChanged && p !== 'fieldsync') settle(e);
  }

  resolve(r: number, f: Field, how: 'take_erp' | 'take_ours'): boolean {
    const rec = this.records[r];
    const open = rec?.open[f];
    if (!rec || !open) return false;
    if (how === 'take_erp') rec.local[f] = open.erp;
    rec.baseErp[f] = open.erp;
    rec.baseLocal[f] = rec.local[f];
    delete rec.open[f];
    return true;
  }
}

const commandArb = (records: number): fc.Arbitrary<Command> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('local' as const),
        r: fc.nat(records - 1),
        f: fc.constantFrom(...fields),
        v: fc.nat(3),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('erp' as const),
        r: fc.nat(records - 1),
        f: fc.constantFrom(...fields),
        v: fc.nat(3),
      }),
    },
    { weight: 3, arbitrary: fc.constant({ t: 'pull' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('resolve' as const),
        r: fc.nat(records - 1),
        f: fc.constantFrom(...fields),
        how: fc.constantFrom('take_erp' as const, 'take_ours' as const),
      }),
    },
  );

const scenarioArb = fc.integer({ min: 1, max: 3 }).chain((records) =>
  fc.record({
    records: fc.constant(records),
    commands: fc.array(commandArb(records), { minLength: 1, maxLength: 24 }),
  }),
);

describeEachEngine('conflict policy (R6)', (db) => {
  it('after any history of edits, pulls and resolutions, fields match the ownership policy and every disallowed change is one open conflict', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ records, commands }) => {
        const fixture = await pullFixture(db().db, { pageSize: 2 });
        try {
          const { erp, scheduler, flow, connector } = fixture;
          const model = new PolicyModel(records);
          const p = rand();
          const seeded = erp.store.seed(
            'customer',
            Array.from({ length: records }, (_, i) => ({
              data: {
                code: `R6-${p}-${i}`,
                ...Object.fromEntries(fields.map((f) => [erpName[f], valueOf(f, 0)])),
              },
            })),
          );
          expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: records, conflicts: 0 });
          const localIds = await Promise.all(seeded.map((r) => localIdOf(db().db, connector, r.id)));

          for (const cmd of commands) {
            if (cmd.t === 'local') {
              await updateCustomer(db().db, localIds[cmd.r] ?? '', { [cmd.f]: valueOf(cmd.f, cmd.v) });
              const rec = model.records[cmd.r];
              if (rec) rec.local[cmd.f] = valueOf(cmd.f, cmd.v);
            } else if (cmd.t === 'erp') {
              erp.store.mutate('customer', seeded[cmd.r]?.id ?? '', {
                [erpName[cmd.f]]: valueOf(cmd.f, cmd.v),
              });
              const rec = model.records[cmd.r];
              if (rec) {
                rec.erp[cmd.f] = valueOf(cmd.f, cmd.v);
                rec.erpVersion += 1;
              }
            } else if (cmd.t === 'pull') {
              expect(await scheduler.runOnce(flow.name)).toMatchObject({
                outcome: 'completed',
                pullErrors: 0,
              });
              model.pull();
            } else {
              const [open] = (
                await listConflicts(
                  db().db,
                  { connector, localId: localIds[cmd.r], field: cmd.f, status: 'open' },
                  { limit: 5 },
                )
              ).data;
              const expected = model.resolve(cmd.r, cmd.f, cmd.how);
              expect(open !== undefined).toBe(expected);
              if (open) await resolveConflict(db().db, open.id, { resolution: cmd.how });
            }
          }
          expect(await scheduler.runOnce(flow.name)).toMatchObject({ outcome: 'completed', pullErrors: 0 });
          model.pull();

          const conflicts = (await listConflicts(db().db, { connector }, { limit: 500 })).data;
          for (const [i, rec] of model.records.entries()) {
            const localId = localIds[i] ?? '';
            const customer = await getCustomer(db().db, localId);
            expect({
              name: customer.name,
              phone: customer.phone,
              email: customer.email,
              legalName: customer.legalName,
            }).toEqual(rec.local);
            const open = conflicts.filter((c) => c.localId === localId && c.status === 'open');
            const actual = Object.fromEntries(
              open.map((c) => [c.field, { erp: c.erpValue, local: c.localValue }]),
            );
            expect(open).toHaveLength(Object.keys(actual).length); // never two open conflicts for one field
            expect(actual).toEqual(rec.open);
            // Per-record order: pulled versions are applied in the ERP's order, never an older one after a newer one.
            const stamps = (await eventsOf(db().db, `customer/${localId}`))
              .map((e) => pullOriginOf(e.data)?.erpModifiedAt)
              .filter((s): s is string => s !== undefined);
            expect([...stamps].sort()).toEqual(stamps);
          }
          expect(conflicts.filter((c) => c.resolvedBy === 'rule:erp-wins-on-conflict')).toHaveLength(
            model.settled,
          );
          expect(erp.requests({ method: 'POST' })).toHaveLength(0);
        } finally {
          await fixture.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
