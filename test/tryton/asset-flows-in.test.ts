import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findAssetPurchase, getAsset, listAssets } from '../../src/modules/assets/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { getItemBySku } from '../../src/modules/items/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import { createTestDatabase } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { createAsset, postDepreciation, setUpAssetAccounting } from './assets-setup.js';
import { configFor } from './support.js';

const examplePath = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));
const skip = trytonSkipReason();
const year = new Date().getUTCFullYear();
const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

type Flow = {
  name: string;
  enabled?: boolean;
  source: { overlapSeconds?: number };
  mapping: { fields: Record<string, { transform?: { constant?: { value: string } }[] }> };
};

describe.skipIf(skip !== undefined)(
  `tryton asset purchases and values into the installed base, live ${skip ?? ''}`,
  () => {
    let tryton: TrytonHandle;
    let testDb: TestDatabase;
    let boiler: number;
    beforeAll(async () => {
      tryton = await startTryton();
      boiler = (await setUpAssetAccounting(tryton, 'BOILER-X200')).product;
      testDb = await createTestDatabase('sqlite');
    });
    afterAll(async () => {
      await testDb?.drop();
      await tryton?.stop();
    });

    it('a confirmed purchase of 2 boilers gives 2 assets to install, once; posted depreciation shows as book value', async () => {
      const db = testDb.handle.db;
      const own = await createCustomer(db, {
        name: 'Own company',
        sites: [{ name: 'Depot', line1: 'Depot 1', city: 'Lille', country: 'FR' }],
      });
      const raw = parse(readFileSync(examplePath, 'utf8')) as {
        connectors: { tryton: { config: Record<string, unknown> } };
        flows: Flow[];
      };
      raw.connectors.tryton.config = { ...raw.connectors.tryton.config, ...configFor(tryton) };
      const wanted = ['tryton-items-in', 'tryton-asset-purchases-in', 'tryton-asset-values-in'];
      for (const flow of raw.flows) {
        flow.enabled = wanted.includes(flow.name);
        // No overlap window: the asset was made seconds ago, and a re-read of it would hide whether a
        // later depreciation posting alone brings it back.
        if (flow.name === 'tryton-asset-values-in') flow.source.overlapSeconds = 0;
        if (flow.name !== 'tryton-asset-purchases-in') continue;
        // The two constants the example asks to set before use.
        const set = (field: string, value: string) => {
          const constant = flow.mapping.fields[field]?.transform?.[0]?.constant;
          if (!constant) throw new Error(`example flow has no constant ${field}`);
          constant.value = value;
        };
        set('customerId', own.id);
        set('siteId', own.sites[0]?.id ?? '');
      }
      const engine = new SyncEngine({ db, logger: quiet(), flowConfig: validateFlowConfig(raw), pollMs: 50 });
      const client = tryton.client();
      try {
        expect((await engine.pulls.runOnce('tryton-items-in')).pullErrors).toBe(0);
        const item = await getItemBySku(db, 'BOILER-X200');
        expect(item).toBeDefined();

        const [supplier] = await client.create('party.party', [
          { name: 'Boiler Supplier', addresses: [['create', [{ street: '9 Industry Rd', city: 'Lille' }]]] },
        ]);
        const [address] = await client.search('party.address', [['party', '=', supplier]]);
        const [purchase] = await client.create('purchase.purchase', [
          {
            party: supplier,
            invoice_address: address,
            company: tryton.setup.company.id,
            currency: tryton.setup.company.currencyId,
            warehouse: tryton.setup.locations.warehouse,
            purchase_date: `${year}-02-10`,
            reference: 'SUP-PO-77',
            lines: [
              [
                'create',
                [
                  {
                    product: boiler,
                    quantity: 2,
                    unit: tryton.setup.uom.unit,
                    unit_price: '2400.00',
                    description: 'Boiler X200',
                  },
                ],
              ],
            ],
          },
        ]);
        await client.execute('purchase.purchase', 'quote', [purchase as number], {
          acknowledgeWarnings: true,
        });
        await client.execute('purchase.purchase', 'confirm', [purchase as number], {
          acknowledgeWarnings: true,
        });
        const [{ number } = { number: '' }] = await client.read<{ number: string }>(
          'purchase.purchase',
          [purchase as number],
          ['number'],
        );

        const first = await engine.pulls.runOnce('tryton-asset-purchases-in');
        expect([first.outcome, first.created, first.pullErrors]).toEqual(['completed', 1, 0]);
        const assets = async () => (await listAssets(db, { customerId: own.id }, { limit: 50 })).data;
        const bought = await assets();
        expect(bought.map((a) => [a.itemId, a.status, a.purchaseRef, a.purchaseDate, a.siteId])).toEqual([
          [item?.id, 'ordered', number, `${year}-02-10`, own.sites[0]?.id],
          [item?.id, 'ordered', number, `${year}-02-10`, own.sites[0]?.id],
        ]);
        expect((await findAssetPurchase(db, number))?.supplierReference).toBe('SUP-PO-77');

        // Re-pull: the purchase moves on in Tryton (processing, its stamp moves) and is read again.
        await client.write('purchase.purchase', [purchase as number], { description: 'Boilers for site 12' });
        const again = await engine.pulls.runOnce('tryton-asset-purchases-in');
        expect([again.outcome, again.created, again.pullErrors]).toEqual(['completed', 0, 0]);
        expect(again.read).toBeGreaterThan(0);
        expect(await assets()).toHaveLength(2);

        // Tryton invoices the purchase: one supplier invoice line for the 2 boilers (its origin is the purchase
        // line), and the accountant makes the fixed asset from it: one asset of quantity 2, depreciated for
        // three months. Nobody tells Fieldsync which assets it is.
        let [bought2] = await client.read<{ invoices: number[]; lines: number[] }>(
          'purchase.purchase',
          [purchase as number],
          ['invoices', 'lines'],
        );
        if ((bought2?.invoices.length ?? 0) === 0) {
          await client.execute('purchase.purchase', 'process', [purchase as number]);
          [bought2] = await client.read('purchase.purchase', [purchase as number], ['invoices', 'lines']);
        }
        const [invoiceLine] = await client.search('account.invoice.line', [
          ['origin', '=', `purchase.line,${bought2?.lines[0] ?? 0}`],
        ]);
        expect(invoiceLine).toBeDefined();
        const fixed = await createAsset(tryton, boiler, {
          value: '4800.00',
          year,
          costCenter: 'CC-NORTH',
          supplierInvoiceLine: invoiceLine,
          quantity: 2,
        });
        await postDepreciation(tryton, `${year}-03-31`);

        const values = await engine.pulls.runOnce('tryton-asset-values-in');
        expect([values.outcome, values.updated, values.pullErrors]).toEqual(['completed', 1, 0]);
        // Both units found by their purchase line, linked, and valued at half the asset each: 4800 − 3 × 200.
        for (const unit of bought) {
          const valued = await getAsset(db, unit.id);
          expect(new Decimal(valued.bookValue ?? 'NaN').eq('2100'), unit.id).toBe(true);
          expect(new Decimal(valued.accumulatedDepreciation ?? 'NaN').eq('300'), unit.id).toBe(true);
          expect(valued).toMatchObject({
            externalRefs: { tryton: String(fixed) },
            lastDepreciationDate: `${year}-03-31`,
            costCenter: 'CC-NORTH',
            status: 'ordered',
          });
        }

        // A later posting writes the asset's lines, not the asset; the incremental pull brings it on its own,
        // to both units.
        const stampOf = async () =>
          (await client.read<{ write_date: unknown }>('account.asset', [fixed], ['write_date']))[0]
            ?.write_date;
        const assetStamp = await stampOf();
        await postDepreciation(tryton, `${year}-04-30`);
        expect(await stampOf()).toEqual(assetStamp);
        const posted = await engine.pulls.runOnce('tryton-asset-values-in');
        expect([posted.outcome, posted.updated, posted.pullErrors]).toEqual(['completed', 1, 0]);
        for (const unit of bought) {
          const later = await getAsset(db, unit.id);
          expect(new Decimal(later.bookValue ?? 'NaN').eq('2000'), unit.id).toBe(true);
          expect(new Decimal(later.accumulatedDepreciation ?? 'NaN').eq('400'), unit.id).toBe(true);
          expect(later.lastDepreciationDate, unit.id).toBe(`${year}-04-30`);
        }
        // Nothing posted since: the next pull changes nothing.
        const idle = await engine.pulls.runOnce('tryton-asset-values-in');
        expect([idle.outcome, idle.updated, idle.pullErrors]).toEqual(['completed', 0, 0]);
      } finally {
        await engine.stop();
      }
    }, 240_000);
  },
);
