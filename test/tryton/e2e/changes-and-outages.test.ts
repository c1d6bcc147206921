// Issue 6, the end-to-end proof, part 2: after the first sync. A real hub process (on PostgreSQL when
// FIELDSYNC_TEST_PG is set, else SQLite) and a real Tryton, Fieldsync driven through its REST API only:
// - changes made in Tryton (a new customer, a renamed item, a price change) arrive through the
//   incremental pull, and only those;
// - an item edited on both sides becomes a conflict with both values, and neither side is overwritten
//   until a person resolves it;
// - Tryton stopped for a while: the work done meanwhile waits in the backlog and drains after the restart,
//   nothing lost and nothing twice.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import { trytonSkipReason } from '../../support/tryton/index.js';
import { onHand } from '../fixtures.js';
import type { PulledItem, ServiceCustomer } from './field-world.js';
import {
  createDefaultPriceList,
  createVanAndTechnician,
  prepareCustomer,
  pulledItems,
  runWorkOrder,
} from './field-world.js';
import type { HubApi, Json } from './hub-api.js';
import { waitFor } from './hub-process.js';
import type { ProofStage } from './proof-setup.js';
import { startProofStage } from './proof-setup.js';
import {
  amount,
  costCenterId,
  costPostings,
  invoicesByReference,
  movesFrom,
  taggedMoves,
} from './tryton-readback.js';
import { VAN } from './tryton-seed.js';

const skip = trytonSkipReason();
const engine = process.env.FIELDSYNC_TEST_PG ? 'postgres' : 'sqlite';
const STEP_MS = 240_000;
const SKUS = ['E2E-FLT', 'E2E-BELT', 'E2E-OIL', 'E2E-MACH'] as const;

describe.skipIf(skip !== undefined)(
  `issue 6 end to end: Tryton changes, a two-sided conflict, Tryton down (hub on ${engine}) ${skip ?? ''}`,
  () => {
    let stage: ProofStage;
    let api: HubApi;
    let tryton: TrytonClient;
    let items: Record<string, PulledItem>;
    let technicianId: string;

    /** The product template behind a SKU (names and list prices live there in Tryton). */
    const template = async (sku: string): Promise<number> => {
      const [row] = await tryton.read<{ template: number }>(
        'product.product',
        [stage.seed.products[sku]?.id ?? 0],
        ['template'],
      );
      return row?.template ?? Number.NaN;
    };

    beforeAll(async () => {
      stage = await startProofStage({ engine, gate: false });
      api = stage.api;
      tryton = stage.tryton.client();
    });
    afterAll(async () => {
      await stage?.close();
    });

    it(
      'first sync: Tryton customers, items and van stock pulled; the van, its technician and prices set up',
      async () => {
        expect((await api.pull('tryton-customers-in')).outcome).toBe('completed');
        expect((await api.pull('tryton-items-in')).outcome).toBe('completed');
        items = await pulledItems(api, SKUS);
        const van = await createVanAndTechnician(api, { code: VAN, erpLocationRef: VAN });
        technicianId = van.technicianId;
        const levels = await api.pull('tryton-stock-levels-in', 'pull_errors');
        expect([levels.outcome, levels.pullErrors]).toEqual(['completed', 0]);
        await createDefaultPriceList(api, items, '80.00');
      },
      STEP_MS,
    );

    it(
      'a new customer, a renamed item and a price change made in Tryton arrive through the incremental pull',
      async () => {
        const client = tryton;
        await client.create('party.party', [
          {
            code: 'E2E-NEW',
            name: 'New Horizon BV',
            addresses: [['create', [{ street: 'Kaai 3', city: 'Brugge' }]]],
          },
        ]);
        await client.write('product.template', [await template('E2E-BELT')], { name: 'Drive belt XL' });
        await client.write('product.template', [await template('E2E-OIL')], { list_price: '13.75' });

        const customersRun = await api.pull('tryton-customers-in');
        expect(customersRun).toMatchObject({ outcome: 'completed', created: 1, updated: 0, conflicts: 0 });
        expect(await api.one('/customers?code=E2E-NEW')).toMatchObject({ name: 'New Horizon BV' });

        const itemsRun = await api.pull('tryton-items-in');
        expect(itemsRun).toMatchObject({ outcome: 'completed', created: 0, updated: 2, conflicts: 0 });
        const now = await pulledItems(api, SKUS);
        expect(now['E2E-BELT']).toMatchObject({ name: 'Drive belt XL', listPrice: '40.00' });
        expect(now['E2E-OIL']).toMatchObject({ name: 'Compressor oil', listPrice: '13.75' });
        expect(now['E2E-FLT']).toEqual(items['E2E-FLT']);
        // Pulled again, nothing is new: the overlap window re-reads, dedupe drops.
        const again = await api.pull('tryton-items-in');
        expect(again).toMatchObject({ created: 0, updated: 0, conflicts: 0 });
        items = now;
      },
      STEP_MS,
    );

    it(
      'an item renamed on both sides is a conflict with both values, not an overwrite, until resolved',
      async () => {
        const filter = items['E2E-FLT'] as PulledItem;
        // The item name is Tryton's (owner erp); someone renames it in Fieldsync anyway, and in Tryton too.
        await api.patch(`/items/${filter.id}`, { name: 'Air filter (van stock)' });
        await tryton.write('product.template', [await template('E2E-FLT')], { name: 'Air filter HEPA' });

        const run = await api.pull('tryton-items-in');
        expect(run).toMatchObject({ outcome: 'completed', conflicts: 1 });
        const open = await api.get<{ data: Json[] }>('/sync/conflicts?status=open&entity=item');
        expect(open.data).toHaveLength(1);
        expect(open.data[0]).toMatchObject({
          localId: filter.id,
          field: 'name',
          owner: 'erp',
          erpValue: 'Air filter HEPA',
          localValue: 'Air filter (van stock)',
          baseValue: 'Air filter',
        });
        // Neither side was overwritten.
        expect(await api.get(`/items/${filter.id}`)).toMatchObject({ name: 'Air filter (van stock)' });
        const [inTryton] = await tryton.read<{ name: string }>(
          'product.template',
          [await template('E2E-FLT')],
          ['name'],
        );
        expect(inTryton?.name).toBe('Air filter HEPA');
        // Pulled again, the conflict is not duplicated.
        expect(await api.pull('tryton-items-in')).toMatchObject({ conflicts: 0 });
        expect((await api.get<{ data: Json[] }>('/sync/conflicts?status=open')).data).toHaveLength(1);

        // A person takes Tryton's name: Fieldsync gets it, the conflict closes.
        const resolved = await api.post(`/sync/conflicts/${String(open.data[0]?.id)}/resolve`, {
          resolution: 'take_erp',
        });
        expect(resolved).toMatchObject({ status: 'resolved', resolution: 'take_erp' });
        expect(await api.get(`/items/${filter.id}`)).toMatchObject({ name: 'Air filter HEPA' });
        expect((await api.get<{ data: Json[] }>('/sync/conflicts?status=open')).data).toEqual([]);
        items = await pulledItems(api, SKUS);
      },
      STEP_MS,
    );

    it(
      'Tryton stopped for a while: the work done meanwhile drains after the restart, nothing lost, nothing twice',
      async () => {
        const customer: ServiceCustomer = await prepareCustomer(
          api,
          {
            code: 'E2E-NEW',
            site: { street: 'Kaai 3', city: 'Brugge' },
            costCenter: 'CC-E2E-2',
            contract: { number: 'C-NEW', validFrom: '2020-01-01', terms: {} },
          },
          items['E2E-MACH']?.id ?? '',
        );
        await api.drained();

        await stage.tryton.stopServer();
        // Meanwhile, in Fieldsync: a new customer, and a job with parts from the van, billed and approved.
        const created = await api.post<{ id: string }>('/customers', {
          code: 'FS-OUTAGE',
          name: 'Made During Outage BV',
          sites: [
            { name: 'Depot', line1: 'Industrieweg 7', city: 'Kortrijk', country: 'BE', isBilling: true },
          ],
        });
        const completedAt = new Date(
          Math.max(Date.now() - 60_000, new Date().setUTCHours(0, 0, 0, 0)),
        ).toISOString();
        const job = await runWorkOrder(api, technicianId, items, {
          customer,
          type: 'corrective',
          laborMinutes: 30,
          parts: [
            ['E2E-FLT', '1'],
            ['E2E-BELT', '1'],
          ],
          completedAt,
        });
        // The hub tries, fails, and its breaker opens: the backlog waits.
        await waitFor('the breaker to open while Tryton is down', async () => {
          const status = await api.get<{ connectors: { circuit: string }[] }>('/sync/status');
          return status.connectors[0]?.circuit === 'open' ? true : undefined;
        });
        const waiting = (await api.flows()).filter((f) => f.pending + f.inFlight > 0).map((f) => f.name);
        expect(waiting.sort()).toEqual([
          'tryton-customers-out',
          'tryton-invoices',
          'tryton-maintenance-costs',
          'tryton-work-order-parts',
        ]);

        await stage.tryton.startServer();
        const dead = await api.drained();
        expect(Object.values(dead).every((n) => n === 0)).toBe(true);

        // The customer is one party, found by its Fieldsync id.
        const identifiers = await tryton.searchRead<{ party: number }>(
          'party.identifier',
          [['code', '=', `fieldsync:${created.id}`]],
          { fields: ['party'] },
        );
        expect(identifiers).toHaveLength(1);
        const [party] = await tryton.read<{ name: string; code: string }>(
          'party.party',
          [identifiers[0]?.party ?? 0],
          ['name', 'code'],
        );
        expect(party).toMatchObject({ name: 'Made During Outage BV', code: 'FS-OUTAGE' });

        // The job's parts: one tag, two moves done, and the van down by exactly one filter and one belt.
        const moves = await taggedMoves(tryton, job.workOrder.number);
        expect([moves.tags, moves.moves.map((m) => m.state)]).toEqual([1, ['done', 'done']]);
        expect(await movesFrom(tryton, stage.seed.van)).toHaveLength(2);
        expect(await onHand(tryton, stage.seed.products['E2E-FLT']?.id ?? 0, stage.seed.van)).toBe(39);
        expect(await onHand(tryton, stage.seed.products['E2E-BELT']?.id ?? 0, stage.seed.van)).toBe(11);

        // Its invoice, once, posted: 0.5 h × 80.00 + 25.00 + 40.00 at the list's prices.
        const invoices = await invoicesByReference(tryton, job.document.number);
        expect(invoices).toHaveLength(1);
        const total = new Decimal('0.5').mul('80.00').plus('25.00').plus('40.00').toFixed(2);
        expect(invoices[0]).toMatchObject({ state: 'posted' });
        expect(amount(invoices[0]?.total_amount ?? 'NaN')).toBe(total);
        const cc = await costCenterId(tryton, 'CC-E2E-2');
        expect(invoices[0]?.lines.map((l) => l.analytic)).toEqual([[cc], [cc], [cc]]);

        // Its maintenance cost, once: 0.5 h × 45.00 + 8.00 + 20.00 at Tryton's cost prices, on the cost center.
        expect(await costPostings(tryton, job.workOrder.number)).toEqual([
          { state: 'posted', analytic: [[cc, '50.50']] },
        ]);
      },
      STEP_MS,
    );
  },
);
