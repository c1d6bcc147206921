// Tryton's side of the end-to-end proof, seeded over JSON-RPC: customers (parties with codes), items
// (products with SKU, unit, list and cost price, category), a van (storage location) with stock put in by
// done incoming moves, and cost centers. Everything is tagged so the read-back can find it.
import type { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import type { TrytonHandle } from '../../support/tryton/index.js';
import { createGoods, createStorage } from '../fixtures.js';

export const VAN = 'VAN-E2E';

export interface TrytonSeed {
  parties: { code: string; name: string; street: string; city: string; id: number }[];
  products: Record<string, { id: number; listPrice: string; costPrice: string }>;
  van: number;
  /** What the done incoming moves put in the van, per SKU. */
  stock: Record<string, number>;
}

/** Cost centers: analytic accounts whose code is the asset's `costCenter`. */
export async function createCostCenter(tryton: TrytonHandle, code: string): Promise<number> {
  const [id] = await tryton.client().create('analytic_account.account', [
    {
      name: `Cost center ${code}`,
      code,
      type: 'normal',
      root: tryton.setup.analytic.rootId,
      parent: tryton.setup.analytic.rootId,
      state: 'opened',
    },
  ]);
  return id as number;
}

/** Done moves from the supplier location into `location` (how stock arrives in Tryton). */
export async function receive(
  tryton: TrytonHandle,
  client: TrytonClient,
  location: number,
  lines: { product: number; quantity: number; unitPrice: string }[],
): Promise<void> {
  const ids = await client.create(
    'stock.move',
    lines.map((l) => ({
      product: l.product,
      uom: tryton.setup.uom.unit,
      quantity: l.quantity,
      from_location: tryton.setup.locations.supplier,
      to_location: location,
      company: tryton.setup.company.id,
      unit_price: { __class__: 'Decimal', decimal: l.unitPrice },
      currency: tryton.setup.company.currencyId,
    })),
  );
  await client.execute('stock.move', 'do', ids, { acknowledgeWarnings: true });
}

export async function seedTryton(tryton: TrytonHandle): Promise<TrytonSeed> {
  const client = tryton.client();
  const parties = [
    { code: 'E2E-COVERED', name: 'Covered Care NV', street: 'Dok Noord 1', city: 'Gent' },
    { code: 'E2E-EXPIRED', name: 'Expired Warranty BV', street: 'Havenlaan 12', city: 'Antwerpen' },
    { code: 'E2E-DISCOUNT', name: 'Discount Industries SA', street: 'Rue de la Loi 8', city: 'Bruxelles' },
  ];
  // Customers have an address in Tryton: an invoice needs one.
  const partyIds = await client.create(
    'party.party',
    parties.map((p) => ({
      code: p.code,
      name: p.name,
      addresses: [['create', [{ street: p.street, city: p.city }]]],
    })),
  );
  const catalogue = [
    { sku: 'E2E-FLT', name: 'Air filter', listPrice: '25.00', costPrice: '8.00', stock: 40 },
    { sku: 'E2E-BELT', name: 'Drive belt', listPrice: '40.00', costPrice: '20.00', stock: 12 },
    { sku: 'E2E-OIL', name: 'Compressor oil', listPrice: '12.50', costPrice: '4.00', stock: 30 },
    { sku: 'E2E-MACH', name: 'Compressor', listPrice: '9000.00', costPrice: '6000.00', stock: 0 },
  ];
  const products: TrytonSeed['products'] = {};
  for (const p of catalogue) {
    const id = await createGoods(tryton, p.sku, {
      name: p.name,
      listPrice: p.listPrice,
      costPrice: p.costPrice,
    });
    products[p.sku] = { id, listPrice: p.listPrice, costPrice: p.costPrice };
  }
  const van = await createStorage(tryton, VAN);
  const stocked = catalogue.filter((p) => p.stock > 0);
  await receive(
    tryton,
    client,
    van,
    stocked.map((p) => ({ product: products[p.sku]?.id ?? 0, quantity: p.stock, unitPrice: p.costPrice })),
  );
  for (const code of ['CC-E2E-1', 'CC-E2E-2']) await createCostCenter(tryton, code);
  return {
    parties: parties.map((p, i) => ({ ...p, id: partyIds[i] as number })),
    products,
    van,
    stock: Object.fromEntries(stocked.map((p) => [p.sku, p.stock])),
  };
}
