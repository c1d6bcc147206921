import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { trytonManifest } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { approveDocument, billWorkOrder, getBillingDocument } from '../../src/modules/billing/index.js';
import { createBillingWorld, completedWorkOrder } from '../../src/modules/billing/testing/billing-world.js';
import type { Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { loadFlowConfig, validateFlowConfig } from '../../src/sync/flows/index.js';
import type { LoadedFlowConfig } from '../../src/sync/flows/index.js';
import { getCustomer, listCustomers, updateCustomer } from '../../src/modules/customers/index.js';
import { getItemBySku } from '../../src/modules/items/index.js';
import type { Kysely } from 'kysely';
import { createTestDatabase, testEngines } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { createGoods, createStorage, onHand, tagAttachments } from './fixtures.js';
import { configFor } from './support.js';

export const examplePath = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));

describe('config/flows/tryton.example.yaml', () => {
  it('loads with loadFlowConfig, every flow checked against the tryton manifest', async () => {
    const loaded = await loadFlowConfig(examplePath);
    expect(loaded.flows.map((f) => [f.name, f.direction, f.enabled])).toEqual([
      ['tryton-customers-out', 'outbound', true],
      ['tryton-work-order-parts', 'outbound', true],
      ['tryton-work-order-labor', 'outbound', false],
      ['tryton-maintenance-costs', 'outbound', true],
      ['tryton-invoices', 'outbound', true],
      ['tryton-asset-disposals', 'outbound', true],
      ['tryton-van-transfers', 'outbound', true],
      ['tryton-cycle-counts', 'outbound', true],
      ['tryton-customers-in', 'inbound', true],
      ['tryton-items-in', 'inbound', true],
      ['tryton-locations-in', 'inbound', true],
      ['tryton-receipts-in', 'inbound', true],
      ['tryton-asset-purchases-in', 'inbound', true],
      ['tryton-asset-values-in', 'inbound', true],
      ['tryton-invoice-numbers-in', 'inbound', true],
      ['tryton-stock-levels-in', 'inbound', true],
    ]);
    for (const flow of loaded.flows) {
      const entity =
        flow.direction === 'outbound'
          ? flow.target.entity
          : flow.source.kind === 'pull'
            ? flow.source.entity
            : '';
      expect(Object.keys(trytonManifest.entities), flow.name).toContain(entity);
    }
  });
});

/** The example flow config, pointed at a harness server, with some flows switched on or off. */
function exampleFor(
  tryton: TrytonHandle,
  overrides: Parameters<typeof configFor>[1],
  enabled: (flow: { name: string; direction: string }) => boolean,
): LoadedFlowConfig {
  const raw = parse(readFileSync(examplePath, 'utf8')) as {
    connectors: { tryton: { config: Record<string, unknown> } };
    flows: { name: string; direction: string; enabled?: boolean }[];
  };
  raw.connectors.tryton.config = {
    ...raw.connectors.tryton.config,
    ...configFor(tryton, { acknowledgeWarnings: ['stock.move.do'], ...overrides }),
  };
  for (const flow of raw.flows) flow.enabled = enabled(flow);
  return validateFlowConfig(raw);
}

const skip = trytonSkipReason();
const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

for (const engine of testEngines) {
  describe.skipIf(skip !== undefined)(
    `the default flows deliver real module events to a live Tryton (Fieldsync on ${engine}) ${skip ?? ''}`,
    () => {
      let tryton: TrytonHandle;
      let client: TrytonClient;
      let testDb: TestDatabase;
      let db: Kysely<Database>;

      beforeAll(async () => {
        tryton = await startTryton();
        client = tryton.client();
        testDb = await createTestDatabase(engine);
        db = testDb.handle.db;
      });
      afterAll(async () => {
        await testDb?.drop();
        await tryton?.stop();
      });

      /** Waits until every delivery of the Tryton flows is delivered or dead (bounded), then returns the dead ones. */
      async function settle(timeoutMs = 90_000): Promise<string[]> {
        const until = Date.now() + timeoutMs;
        while (Date.now() < until) {
          const open = await db
            .selectFrom('outbox_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('subscriber', 'like', 'flow:tryton-%')
            .where('status', 'in', ['pending', 'in_flight'])
            .executeTakeFirstOrThrow();
          if (Number(open.n) === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const dead = await db
          .selectFrom('sync_attempts')
          .select(['flow', 'error_class', 'error_message'])
          .where('outcome', '!=', 'delivered')
          .execute();
        return dead.map((d) => `${d.flow}: ${d.error_class}: ${d.error_message}`);
      }

      it('customer → party, completed work order → moves done from the van and labor, approved document → posted invoice', async () => {
        let engine: SyncEngine | undefined;
        // The example as shipped, pointed at the test server: outbound flows only (the pulls are tested below),
        // with the optional labor flow switched on.
        const startEngine = async (warehouseLocations: Record<string, string>) => {
          engine = new SyncEngine({
            db,
            logger: quiet(),
            flowConfig: exampleFor(tryton, { warehouseLocations }, (f) => f.direction === 'outbound'),
            pollMs: 50,
            leaseMs: 60_000,
          });
          await engine.start();
        };
        try {
          // The warehouse ids are only known once the world exists, so the engine starts with a placeholder
          // map and is restarted once the van exists (events wait in the outbox meanwhile).
          await startEngine({});
          const w = await createBillingWorld(db);
          await engine?.stop();
          await startEngine({ [w.vanId]: `VAN-${w.tag}` });

          // Tryton's side of the same world: products with the same SKUs, the van, the cost center, the technician.
          const filter = await createGoods(tryton, `FLT-${w.tag}`);
          await createGoods(tryton, `BELT-${w.tag}`);
          const van = await createStorage(tryton, `VAN-${w.tag}`);
          await client.create('analytic_account.account', [
            {
              name: `Cost center ${w.tag}`,
              code: `CC-${w.tag}`,
              type: 'normal',
              root: tryton.setup.analytic.rootId,
              parent: tryton.setup.analytic.rootId,
              state: 'opened',
            },
          ]);
          const [party] = await client.create('party.party', [{ name: `Tess Tech ${w.tag}` }]);
          await client.create('company.employee', [{ party, company: tryton.setup.company.id }]);

          const wo = await completedWorkOrder(db, w, {
            completedAt: new Date(Date.now() - 3_600_000).toISOString(),
            labor: [{ minutes: 90 }],
            parts: [
              { itemId: w.items.filter, quantity: '2' },
              { itemId: w.items.belt, quantity: '1' },
            ],
          });
          const { document } = await billWorkOrder(db, wo.id);
          await approveDocument(db, document.id);
          expect(await settle()).toEqual([]);

          // The customer became a party with its Fieldsync id as identifier and its billing site first.
          const [ident] = await client.searchRead<{ party: number }>(
            'party.identifier',
            [['code', '=', `fieldsync:${w.customerId}`]],
            {
              fields: ['party'],
            },
          );
          const [partyRow] = await client.read<{ name: string; code: string }>(
            'party.party',
            [ident?.party as number],
            ['name', 'code'],
          );
          expect(partyRow).toMatchObject({ name: `Acme ${w.tag}`, code: w.customerCode });

          // Parts: moves done from the van to the customer location, labelled with the work-order number.
          expect(await onHand(client, filter, van)).toBe(-2);
          const tags = await tagAttachments(client, 'stock.move', { label: wo.number });
          expect(tags).toHaveLength(1);
          const moves = await client.read<{ state: string; to_location: number }>(
            'stock.move',
            tags[0]?.ids ?? [],
            ['state', 'to_location'],
          );
          expect(moves.length).toBeGreaterThan(0);
          for (const move of moves)
            expect(move).toMatchObject({ state: 'done', to_location: tryton.setup.locations.customer });

          // Labor: a timesheet line on a work named after the work order.
          const lines = await client.searchRead<{ duration: number; 'work.': { name: string } }>(
            'timesheet.line',
            [['work.name', '=', wo.number]],
            {
              fields: ['duration', 'work.name'],
            },
          );
          expect(lines.map((l) => l.duration)).toEqual([5400]);

          // Billing: a posted invoice whose total is the document's net, one line per billing line.
          const [invoice] = await client.searchRead<{
            state: string;
            total_amount: string;
            lines: number[];
            party: number;
            number: string;
            id: number;
          }>('account.invoice', [['reference', '=', document.number]], {
            fields: ['state', 'total_amount', 'lines', 'party', 'number'],
          });
          expect(invoice?.state).toBe('posted');
          expect(invoice?.party).toBe(ident?.party);
          expect(new Decimal(invoice?.total_amount ?? 'NaN').eq(document.totals.net.amount)).toBe(true);
          expect(invoice?.lines).toHaveLength(document.lines.length);
          const costCentered = document.lines.filter((l) => l.costCenter !== null).length;
          expect(costCentered).toBeGreaterThan(0);
          const entries = await client.searchRead(
            'analytic.account.entry',
            [['origin', 'in', (invoice?.lines ?? []).map((l) => `account.invoice.line,${l}`)]],
            {
              fields: ['account'],
            },
          );
          expect(entries).toHaveLength(costCentered);

          // Maintenance cost: 90 min at 45.00/h + 2 filters at 8.00 + 1 belt at 20.00 = 103.50 on the asset's
          // cost center, in one posted move.
          const costMoves = await client.searchRead<{ id: number; state: string; description: string }>(
            'account.move',
            [['description', 'like', `Maintenance ${wo.number} [fieldsync:%`]],
            { fields: ['state', 'description'] },
          );
          expect(costMoves.map((m) => m.state)).toEqual(['posted']);
          const costLines = await client.searchRead<{ debit: string; credit: string; account: number }>(
            'analytic_account.line',
            [['move_line.move', '=', costMoves[0]?.id ?? 0]],
            { fields: ['debit', 'credit', 'account'] },
          );
          const [cc] = await client.search('analytic_account.account', [['code', '=', `CC-${w.tag}`]]);
          expect(costLines.map((l) => [l.account, new Decimal(l.debit).minus(l.credit).toFixed(2)])).toEqual([
            [cc, '103.50'],
          ]);

          // Tryton's invoice id and number come back on the document (tryton-invoice-numbers-in): sent, then
          // invoiced, in one pull; the next pull finds nothing to change.
          const back = new SyncEngine({
            db,
            logger: quiet(),
            flowConfig: exampleFor(tryton, {}, (f) => f.name === 'tryton-invoice-numbers-in'),
            pollMs: 50,
          });
          const first = await back.pulls.runOnce('tryton-invoice-numbers-in');
          expect([first.outcome, first.updated, first.pullErrors]).toEqual(['completed', 1, 0]);
          expect(await getBillingDocument(db, document.id)).toMatchObject({
            status: 'invoiced',
            externalRef: String(invoice?.id),
            erpNumber: invoice?.number,
          });
          expect(invoice?.number).toMatch(/\S/);
          const second = await back.pulls.runOnce('tryton-invoice-numbers-in');
          expect([second.outcome, second.updated, second.pullErrors]).toEqual(['completed', 0, 0]);
        } finally {
          await engine?.stop();
        }
      });

      it('pulls Tryton parties and products into Fieldsync customers and items through the example inbound flows', async () => {
        const engine = new SyncEngine({
          db,
          logger: quiet(),
          flowConfig: exampleFor(
            tryton,
            {},
            (f) => f.name === 'tryton-customers-in' || f.name === 'tryton-items-in',
          ),
          pollMs: 50,
        });
        const [austria] = await client.search('country.country', [['code', '=', 'AT']]);
        const country =
          austria ?? (await client.create('country.country', [{ name: 'Austria', code: 'AT' }]))[0];
        await client.create('party.party', [
          {
            name: 'Pulled Party',
            code: 'PULL-1',
            addresses: [
              [
                'create',
                [
                  { name: 'Plant', street: 'Ring 5', postal_code: '1010', city: 'Wien', country },
                  // No street: not a place to send a technician, so no site.
                  { name: 'PO box', city: 'Wien' },
                ],
              ],
            ],
            contact_mechanisms: [
              [
                'create',
                [
                  { type: 'email', value: 'pulled@example.com' },
                  { type: 'phone', value: '+43 1 555', name: 'Gate keeper' },
                  { type: 'email', value: 'gate@example.com', name: 'Gate keeper' },
                ],
              ],
            ],
          },
        ]);
        await createGoods(tryton, 'PULL-SKU-1', {
          name: 'Pulled valve',
          listPrice: '19.90',
          costPrice: '7.00',
        });
        try {
          const customers = await engine.pulls.runOnce('tryton-customers-in');
          const items = await engine.pulls.runOnce('tryton-items-in');
          expect([customers.outcome, customers.pullErrors, items.outcome, items.pullErrors]).toEqual([
            'completed',
            0,
            'completed',
            0,
          ]);
          const [customer] = (await listCustomers(db, { code: 'PULL-1' }, { limit: 1 })).data;
          expect(customer).toMatchObject({ name: 'Pulled Party', email: 'pulled@example.com' });
          expect(
            customer?.sites.map((x) => [x.name, x.line1, x.postalCode, x.city, x.country, x.isBilling]),
          ).toEqual([['Plant', 'Ring 5', '1010', 'Wien', 'AT', true]]);
          expect(customer?.contacts.map((x) => [x.name, x.email, x.phone])).toEqual([
            ['Gate keeper', 'gate@example.com', '+43 1 555'],
          ]);
          const item = await getItemBySku(db, 'PULL-SKU-1');
          expect(item).toMatchObject({
            name: 'Pulled valve',
            listPrice: '19.90',
            costPrice: '7.00',
            unit: 'u',
            kind: 'stocked',
            category: 'Fieldsync Default',
          });
        } finally {
          await engine.stop();
        }
      });

      it('customers both ways: a rename made in Tryton since the last pull survives a Fieldsync phone change', async () => {
        const engine = new SyncEngine({
          db,
          logger: quiet(),
          flowConfig: exampleFor(
            tryton,
            {},
            (f) => f.name === 'tryton-customers-in' || f.name === 'tryton-customers-out',
          ),
          pollMs: 50,
        });
        const tag = Math.random().toString(36).slice(2, 8);
        const [partyId] = await client.create('party.party', [
          {
            name: `Guarded ${tag}`,
            code: `GRD-${tag}`,
            contact_mechanisms: [['create', [{ type: 'phone', value: '+43 1 100' }]]],
          },
        ]);
        expect((await engine.pulls.runOnce('tryton-customers-in')).pullErrors).toBe(0);
        const [customer] = (await listCustomers(db, { code: `GRD-${tag}` }, { limit: 1 })).data;
        if (!customer) throw new Error('the party was not pulled');
        await engine.start();
        try {
          // A Tryton user renames the party; before the next pull, Fieldsync changes the phone.
          await client.write('party.party', [partyId as number], { name: `Renamed in Tryton ${tag}` });
          await updateCustomer(db, customer.id, { phone: '+43 1 222' });
          expect(await settle()).toEqual([]);
          const [row] = await client.read<{ name: string }>('party.party', [partyId as number], ['name']);
          expect(row?.name).toBe(`Renamed in Tryton ${tag}`);
          const phones = await client.searchRead<{ value: string }>(
            'party.contact_mechanism',
            [
              ['party', '=', partyId as number],
              ['type', '=', 'phone'],
            ],
            { fields: ['value'] },
          );
          expect(phones.map((p) => p.value)).toContain('+43 1 222');
          expect((await getCustomer(db, customer.id)).name).toBe(`Renamed in Tryton ${tag}`);
        } finally {
          await engine.stop();
        }
      });
    },
  );
}
