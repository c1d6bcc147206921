import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { changesSince, collect, createGoods } from './fixtures.js';
import { configFor } from './support.js';

const skip = trytonSkipReason();

describe.skipIf(skip !== undefined)(`tryton reads (ERP → Fieldsync), live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;
  let session: TrytonConnectorSession;

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
    session = (await trytonConnector.connect(configFor(tryton))) as TrytonConnectorSession;
  });
  afterAll(async () => {
    await session?.close();
    await tryton?.stop();
  });

  it('pulls parties with addresses and contacts, and archived parties as inactive', async () => {
    const { cursor } = await changesSince(session, 'party', null);
    const [party] = await client.create('party.party', [
      {
        name: 'Dupont Chauffage',
        code: 'C-0042',
        addresses: [
          ['create', [{ name: 'Atelier', street: '3 rue Neuve', postal_code: '69001', city: 'Lyon' }]],
        ],
        contact_mechanisms: [
          [
            'create',
            [
              { type: 'email', value: 'contact@dupont.example' },
              { type: 'phone', value: '+33 4 00 00 00' },
            ],
          ],
        ],
      },
    ]);
    const first = await changesSince(session, 'party', cursor as Cursor | null);
    expect(first.records.map((r) => r.externalId)).toEqual([String(party)]);
    expect(first.records[0]?.data).toMatchObject({
      code: 'C-0042',
      name: 'Dupont Chauffage',
      active: true,
      email: 'contact@dupont.example',
      phone: '+33 4 00 00 00',
      fieldsyncReference: null,
      addresses: [
        { name: 'Atelier', street: '3 rue Neuve', postalCode: '69001', city: 'Lyon', active: true },
      ],
    });
    await client.write('party.party', [party as number], { active: false });
    const second = await changesSince(session, 'party', first.cursor as Cursor | null);
    expect(second.records.map((r) => [r.externalId, r.data.active])).toEqual([[String(party), false]]);
    expect((second.records[0]?.modifiedAt ?? '') > (first.records[0]?.modifiedAt ?? '')).toBe(true);
  });

  it('pulls products with SKU, unit, list and cost price and category; template edits count as changes', async () => {
    const { cursor } = await changesSince(session, 'product', null);
    const product = await createGoods(tryton, 'PMP-7', {
      name: 'Circulation pump',
      listPrice: '129.00',
      costPrice: '61.25',
    });
    const created = await changesSince(session, 'product', cursor as Cursor | null);
    expect(created.records.map((r) => r.externalId)).toEqual([String(product)]);
    expect(created.records[0]?.data).toMatchObject({
      sku: 'PMP-7',
      name: 'Circulation pump',
      unit: 'u',
      listPrice: '129.00',
      costPrice: '61.25',
      category: 'Fieldsync Default',
      type: 'goods',
      active: true,
    });
    // Name and list price live on the template; the variant's own stamp does not move.
    const [row] = await client.read<{ template: number; write_date: string | null }>(
      'product.product',
      [product],
      ['template', 'write_date'],
    );
    await client.write('product.template', [row?.template as number], {
      list_price: '135.00',
      name: 'Circulation pump v2',
    });
    const [after] = await client.read<{ write_date: string | null }>(
      'product.product',
      [product],
      ['write_date'],
    );
    expect(after?.write_date).toBe(row?.write_date);
    const edited = await changesSince(session, 'product', created.cursor as Cursor | null);
    expect(edited.records.map((r) => [r.externalId, r.data.listPrice, r.data.name])).toEqual([
      [String(product), '135.00', 'Circulation pump v2'],
    ]);
    // Cost price is written through the variant.
    await client.write('product.product', [product], { cost_price: '60.00' });
    const costed = await changesSince(session, 'product', edited.cursor as Cursor | null);
    expect(costed.records.map((r) => r.data.costPrice)).toEqual(['60.00']);
    expect((await changesSince(session, 'product', costed.cursor as Cursor | null)).records).toEqual([]);
  });

  it('pulls locations with their XML id as the ref a warehouse stores', async () => {
    const locations = await collect(session.readAll('location'));
    const storage = locations.find((l) => l.externalId === String(tryton.setup.locations.storage));
    expect(storage?.data).toMatchObject({
      type: 'storage',
      xmlId: 'stock.location_storage',
      ref: 'stock.location_storage',
      code: 'STO',
    });
  });

  it('pulls receipts: a supplier move done later comes after the cursor even though it was created before', async () => {
    const product = await createGoods(tryton, 'RCV-1');
    const [move] = await client.create('stock.move', [
      {
        product,
        uom: tryton.setup.uom.unit,
        quantity: 12,
        from_location: tryton.setup.locations.supplier,
        to_location: tryton.setup.locations.storage,
        unit_price: '3.10',
        currency: tryton.setup.company.currencyId,
      },
    ]);
    const { cursor } = await changesSince(session, 'stock_receipt', null);
    await client.execute('stock.move', 'do', [move as number], { acknowledgeWarnings: true });
    const { records } = await changesSince(session, 'stock_receipt', cursor as Cursor | null);
    expect(records.map((r) => [r.externalId, r.data.sku, r.data.quantity, r.data.toLocation])).toEqual([
      [String(move), 'RCV-1', '12', tryton.setup.locations.storage],
    ]);
  });

  it('reads stock levels keyed by product and location ref, as reconciliation matches them', async () => {
    const levels = await collect(session.readAll('stock_level'));
    const receipt = levels.find((l) => l.data.sku === 'RCV-1');
    expect(receipt?.data).toMatchObject({
      quantity: '12',
      location: 'stock.location_storage',
      locationId: tryton.setup.locations.storage,
    });
    expect(receipt?.externalId).toBe(`${receipt?.data.item}@${tryton.setup.locations.storage}`);
  });
});
