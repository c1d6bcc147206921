// Issue 6, the end-to-end proof, part 1: a day in the field, proven in Tryton.
//
// Tryton has customers, items and van stock. A real hub process (`fieldsync serve`, SQLite) pulls them; a
// technician completes three work orders under contracts (one covered, one out of warranty, one with a
// discount) with parts from the van; billing approves; the hub delivers and is killed -9 while Tryton's
// answer to a delivery is on its way. Tryton is then read back: moves, on-hand, invoices (lines, totals,
// state, cost centers), with no duplicates. A forced retry (a dead letter replayed twice) adds no
// duplicate either, and reconciliation reports 100 %. Everything on the Fieldsync side goes through the REST
// API; Tryton is only read (and, once, its accountant opens a fiscal year).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import { createFiscalYear, trytonSkipReason } from '../../support/tryton/index.js';
import { onHand } from '../fixtures.js';
import type { JobSpec } from './field-day-jobs.js';
import { hours, jobSpecs, LABOR_RATE, maintenanceCost, net, totalOf } from './field-day-jobs.js';
import type { BilledWorkOrder, PulledItem, ServiceCustomer } from './field-world.js';
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
/** Bounded and generous (the machine is shared); steps wait on what the API reports, never on sleeps. */
const STEP_MS = 240_000;
const SKUS = ['E2E-FLT', 'E2E-BELT', 'E2E-OIL', 'E2E-MACH'] as const;

/** Now, but never before midnight UTC: a document date must fall in the fiscal year Tryton has open. */
const today = () => new Date(Math.max(Date.now() - 60_000, new Date().setUTCHours(0, 0, 0, 0))).toISOString();

describe.skipIf(skip !== undefined)(
  `issue 6 end to end: a day in the field, proven in Tryton ${skip ?? ''}`,
  () => {
    let stage: ProofStage;
    let api: HubApi;
    let tryton: TrytonClient;
    let items: Record<string, PulledItem>;
    let vanId: string;
    let technicianId: string;
    let lastYear: number;
    const customers = new Map<JobSpec['name'], ServiceCustomer>();
    const jobs = new Map<JobSpec['name'], BilledWorkOrder>();

    beforeAll(async () => {
      stage = await startProofStage({ engine: 'sqlite', gate: true });
      api = stage.api;
      tryton = stage.tryton.client();
      lastYear = Math.min(...stage.tryton.setup.fiscalYears.map((f) => f.year)) - 1;
    });
    afterAll(async () => {
      await stage?.close();
    });

    const price = (sku: string) => stage.seed.products[sku]?.listPrice ?? 'NaN';
    const costPrice = (sku: string) => stage.seed.products[sku]?.costPrice ?? 'NaN';
    const product = (sku: string) => stage.seed.products[sku]?.id ?? Number.NaN;
    const customerOf = (spec: JobSpec) => customers.get(spec.name) as ServiceCustomer;
    const vanOnHand = async () => {
      const page = await api.get<{ data: { itemId: string; quantity: string }[] }>(
        `/stock/on-hand?warehouseId=${vanId}`,
      );
      return Object.fromEntries(
        SKUS.map((sku) => [sku, page.data.find((p) => p.itemId === items[sku]?.id)?.quantity ?? '0']),
      );
    };

    it(
      "pulls Tryton's customers, items and van stock through the example flows",
      async () => {
        // The hub pulled parties and products when it started; a run now follows that one and finds nothing new.
        expect(await api.pull('tryton-customers-in')).toMatchObject({ outcome: 'completed', created: 0 });
        expect(await api.pull('tryton-items-in')).toMatchObject({ outcome: 'completed', created: 0 });
        for (const party of stage.seed.parties)
          expect(await api.one(`/customers?code=${party.code}`)).toMatchObject({ name: party.name });
        items = await pulledItems(api, SKUS);
        for (const sku of SKUS)
          expect(items[sku]).toMatchObject({ listPrice: amount(price(sku)), kind: 'stocked', unit: 'u' });

        // The van is Tryton's location, pulled as a warehouse (tryton-locations-in) and made a van. The
        // on-hand pull at start may have set its levels aside (the warehouse is pulled at the same time);
        // retrying the set-aside records applies them.
        ({ vanId, technicianId } = await createVanAndTechnician(api, { code: VAN, erpLocationRef: VAN }));
        const levels = await api.pull('tryton-stock-levels-in', 'pull_errors');
        expect([levels.outcome, levels.pullErrors, levels.conflicts]).toEqual(['completed', 0, 0]);
        expect(await vanOnHand()).toEqual({
          'E2E-FLT': '40',
          'E2E-BELT': '12',
          'E2E-OIL': '30',
          'E2E-MACH': '0',
        });

        // Prices at Tryton's list prices; per customer a site, the compressor with its cost center, a contract.
        const { 'E2E-MACH': machine, ...parts } = items;
        await createDefaultPriceList(api, parts, LABOR_RATE);
        for (const spec of jobSpecs) {
          const party = stage.seed.parties[spec.party];
          if (!party) throw new Error(`no seeded party ${spec.party}`);
          const plan = {
            code: party.code,
            site: { street: party.street, city: party.city },
            costCenter: spec.costCenter,
            ...(spec.warrantyUntil && { warrantyUntil: spec.warrantyUntil }),
            contract: { ...spec.contract, validFrom: `${lastYear}-01-01` },
          };
          customers.set(spec.name, await prepareCustomer(api, plan, machine?.id ?? ''));
        }
      },
      STEP_MS,
    );

    it(
      'a technician completes three jobs with parts from the van, billing approves, and the hub is killed -9 mid-delivery',
      async () => {
        const gate = stage.gate;
        if (!gate) throw new Error('the scenario needs the gate');
        // Tryton will do the first job's moves, and its answer will not reach the hub.
        const held = gate.holdAnswerOf('model.stock.move.do');
        const completedAt = today();
        for (const spec of jobSpecs) {
          const { type, laborMinutes, parts } = spec;
          const plan = { customer: customerOf(spec), type, laborMinutes, parts, completedAt };
          jobs.set(spec.name, await runWorkOrder(api, technicianId, items, plan));
        }
        await held;
        // The crash point: Tryton has done one job's moves and committed; the hub has not heard back. Usually
        // the first job's; on a loaded machine a retried delivery can let another job's `do` come first.
        const tagged = await Promise.all(
          jobSpecs.map((spec) => taggedMoves(tryton, jobs.get(spec.name)?.workOrder.number ?? '')),
        );
        const done = tagged.filter((t) => t.moves.length > 0 && t.moves.every((m) => m.state === 'done'));
        expect(done.length).toBeGreaterThan(0);
        for (const t of done) expect(t.tags).toBe(1);
        const parts = (await api.flows()).find((f) => f.name === 'tryton-work-order-parts');
        expect(parts?.inFlight).toBeGreaterThan(0);
        await stage.hub.kill();
        gate.release();
        await stage.hub.start();
        // The restarted hub delivers what was pending at once, and what the dead hub had leased once that
        // lease has run out (12 s, set by hub-process.ts); nothing is dead.
        expect(Object.values(await api.drained()).every((dead) => dead === 0)).toBe(true);
      },
      STEP_MS,
    );

    it(
      'Tryton holds exactly what the jobs did: moves done from the van, on-hand reduced, invoices with their lines, totals, state and cost centers',
      async () => {
        // Stock: one tag per job and one done move per part line, from the van to the customer location;
        // nothing else left the van (no duplicate, no stray draft).
        const van = stage.seed.van;
        const customer = stage.tryton.setup.locations.customer;
        const byProduct = (a: { product: number }, b: { product: number }) => a.product - b.product;
        for (const spec of jobSpecs) {
          const number = jobs.get(spec.name)?.workOrder.number ?? '';
          const tagged = await taggedMoves(tryton, number);
          expect(tagged.tags, number).toBe(1);
          expect(tagged.moves.map(({ id: _id, ...move }) => move).sort(byProduct), number).toEqual(
            spec.parts
              .map(([sku, quantity]) => ({
                product: product(sku),
                quantity: Number(quantity),
                from_location: van,
                to_location: customer,
                state: 'done',
              }))
              .sort(byProduct),
          );
        }
        const partLines = jobSpecs.reduce((n, spec) => n + spec.parts.length, 0);
        expect((await movesFrom(tryton, van)).map((m) => m.state)).toEqual(Array(partLines).fill('done'));
        // 40 filters − 2 − 1, 12 belts − 1 − 2, 30 oil − 1 − 4, exactly; and Fieldsync's van agrees.
        expect(await onHand(tryton, product('E2E-FLT'), van)).toBe(37);
        expect(await onHand(tryton, product('E2E-BELT'), van)).toBe(9);
        expect(await onHand(tryton, product('E2E-OIL'), van)).toBe(25);
        expect(await vanOnHand()).toEqual({
          'E2E-FLT': '37',
          'E2E-BELT': '9',
          'E2E-OIL': '25',
          'E2E-MACH': '0',
        });

        // Invoices: one per approved document, found by its number, as worked out in field-day-jobs.ts.
        const expected = new Map(jobSpecs.map((spec) => [spec.name, spec.invoice(price)]));
        const totals = jobSpecs.map((spec) => totalOf(expected.get(spec.name)?.lines ?? []));
        expect(totals).toEqual(['0.00', '185.00', '174.00']);
        const order = (a: { product: number | null; amount: string }, b: typeof a) =>
          (a.product ?? 0) - (b.product ?? 0) || a.amount.localeCompare(b.amount);
        for (const spec of jobSpecs) {
          const want = expected.get(spec.name) ?? { state: '', lines: [] };
          const { document } = jobs.get(spec.name) as BilledWorkOrder;
          expect(amount(document.totals.net.amount), spec.name).toBe(totalOf(want.lines));
          const invoices = await invoicesByReference(tryton, document.number);
          expect(invoices, document.number).toHaveLength(1);
          const [invoice] = invoices;
          expect(invoice?.state, spec.name).toBe(want.state);
          expect(invoice?.party, spec.name).toBe(stage.seed.parties[spec.party]?.id);
          expect(invoice?.number, spec.name).toMatch(/^INV\d{4}-\d{5}$/);
          expect(amount(invoice?.total_amount ?? 'NaN'), spec.name).toBe(totalOf(want.lines));
          expect(
            invoice?.lines.map((l) => ({ product: l.product, amount: amount(l.amount) })).sort(order),
            spec.name,
          ).toEqual(
            want.lines
              .map((l) => ({ product: l.sku === null ? null : product(l.sku), amount: l.amount }))
              .sort(order),
          );
          // Every line carries the asset's cost center as its analytic account.
          const cc = await costCenterId(tryton, spec.costCenter);
          expect(
            invoice?.lines.map((l) => l.analytic),
            spec.name,
          ).toEqual(want.lines.map(() => [cc]));
          // The job's maintenance cost, once, on the same cost center: labor at the technician's cost rate and
          // parts at Tryton's cost price (pulled as the items' cost price).
          expect(await costPostings(tryton, jobs.get(spec.name)?.workOrder.number ?? ''), spec.name).toEqual([
            { state: 'posted', analytic: [[cc, maintenanceCost(spec, costPrice)]] },
          ]);
        }

        // Tryton's numbers come back (tryton-invoice-numbers-in): every document invoiced under its invoice's number.
        const numbers = await api.pull('tryton-invoice-numbers-in');
        expect([numbers.outcome, numbers.pullErrors]).toEqual(['completed', 0]);
        for (const spec of jobSpecs) {
          const { document } = jobs.get(spec.name) as BilledWorkOrder;
          const [invoice] = await invoicesByReference(tryton, document.number);
          expect(await api.get(`/billing/documents/${document.id}`), spec.name).toMatchObject({
            status: 'invoiced',
            externalRef: String(invoice?.id),
            erpNumber: invoice?.number,
          });
        }
      },
      STEP_MS,
    );

    it(
      'a forced retry adds nothing: an invoice Tryton refused to post is replayed twice once the cause is fixed',
      async () => {
        // A job finished last December and billed now: Tryton has no fiscal year for that date yet.
        const late = await runWorkOrder(api, technicianId, items, {
          customer: customers.get('discount') as ServiceCustomer,
          type: 'corrective',
          laborMinutes: 30,
          parts: [],
          completedAt: `${lastYear}-12-15T12:00:00.000Z`,
        });
        const [letter] = await waitFor('the late invoice in the dead-letter queue', async () => {
          const page = await api.get<{ data: Json[] }>('/sync/dead-letters?flow=tryton-invoices');
          return page.data.length > 0 ? page.data : undefined;
        });
        expect(letter).toMatchObject({ errorClass: 'validation', flow: 'tryton-invoices' });
        expect(String(letter?.error)).toContain('period');
        // Tryton created the invoice before it refused to post it: the draft is there, once.
        const drafts = await invoicesByReference(tryton, late.document.number);
        expect(drafts.map((i) => i.state)).toEqual(['draft']);

        // The accountant opens last year in Tryton; the operator replays the dead letter, then again.
        await createFiscalYear(tryton, stage.tryton.setup.company.id, lastYear);
        expect(await api.post('/sync/dead-letters/replay', { flow: 'tryton-invoices' })).toMatchObject({
          replayed: 1,
        });
        // The job's maintenance cost met the same missing period (its date is the completion date).
        await waitFor('the late cost in the dead-letter queue', async () => {
          const page = await api.get<{ data: Json[] }>('/sync/dead-letters?flow=tryton-maintenance-costs');
          return page.data.length > 0 ? page.data : undefined;
        });
        expect(
          await api.post('/sync/dead-letters/replay', { flow: 'tryton-maintenance-costs' }),
        ).toMatchObject({
          replayed: 1,
        });
        expect(Object.values(await api.drained()).every((dead) => dead === 0)).toBe(true);
        // A replay that finds nothing dead records no replay either.
        expect(await api.post('/sync/dead-letters/replay', { ids: [letter?.id] })).toEqual({
          replayed: 0,
          replayId: null,
        });
        expect(await api.post('/sync/dead-letters/replay', { all: true })).toEqual({
          replayed: 0,
          replayId: null,
        });

        // One invoice, the draft of the first attempt, now posted in last year's sequence.
        const invoices = await invoicesByReference(tryton, late.document.number);
        expect(invoices.map((i) => [i.id, i.state])).toEqual([[drafts[0]?.id, 'posted']]);
        expect(invoices[0]?.number).toMatch(new RegExp(`^INV${lastYear}-`));
        expect(amount(invoices[0]?.total_amount ?? 'NaN')).toBe(net(hours(30), LABOR_RATE, '5'));
        expect(net(hours(30), LABOR_RATE, '5')).toBe('38.00');
        // The job used no parts: no move was made for it.
        expect(await taggedMoves(tryton, late.workOrder.number)).toEqual({ tags: 0, moves: [] });
      },
      STEP_MS,
    );

    it(
      'reconciliation through the API: customers, items and van stock match at 100 %',
      async () => {
        // The on-hand pull at the restart ran while the first job's parts were in Tryton and the others were
        // not yet: it saw both sides changed and held those pairs as conflicts (a known limit of pulling
        // levels, docs/connectors/tryton.md). With everything delivered, a pull converges them by itself.
        const levels = await api.pull('tryton-stock-levels-in');
        expect([levels.outcome, levels.pullErrors, levels.conflicts]).toEqual(['completed', 0, 0]);
        expect((await api.get<{ data: Json[] }>('/sync/conflicts?status=open')).data).toEqual([]);
        const closed = await api.get<{ data: Json[] }>('/sync/conflicts?status=resolved');
        for (const conflict of closed.data)
          expect(conflict).toMatchObject({
            entity: 'stock_level',
            resolution: 'converged',
            resolvedBy: 'sync',
          });

        for (const [entity, remote] of [
          ['customer', 'party'],
          ['item', 'product'],
          ['stock', 'stock_level'],
        ] as const) {
          const run = await api.reconcile(entity, remote);
          expect(run, entity).toMatchObject({ status: 'completed', differences: 0, accuracy: 1 });
          expect(Number(run.compared), entity).toBeGreaterThan(0);
        }
      },
      STEP_MS,
    );
  },
);
