import { expect, it } from 'vitest';
import {
  addContractVersion,
  createContract,
  createPriceList,
  getPriceList,
  listPriceLists,
  resolvePriceLists,
  updatePriceList,
} from '../../src/modules/contracts/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

/** Each test gets its own currency so default lists of different tests never meet. */
const currencies = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'CAD',
  'AUD',
  'JPY',
];
let currencyIndex = 0;

async function world(db: Db) {
  const currency = currencies[currencyIndex % currencies.length] ?? 'EUR';
  currencyIndex += 1;
  const customer = await createCustomer(db, { name: uniq('Acme'), currency, sites: [site('HQ')] });
  const other = await createCustomer(db, { name: uniq('Other'), currency, sites: [site('HQ')] });
  const filter = await createItem(db, {
    sku: uniq('FLT'),
    name: 'Filter',
    category: 'filters',
    listPrice: '10',
    currency,
  });
  const belt = await createItem(db, {
    sku: uniq('BLT'),
    name: 'Belt',
    category: 'belts',
    listPrice: '20',
    currency,
  });
  return {
    currency,
    customerId: customer.id,
    otherCustomerId: other.id,
    filterId: filter.id,
    beltId: belt.id,
  };
}

const tables = ['price_lists', 'price_list_lines', 'contract_versions', 'outbox_events'] as const;
async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await counts(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await counts(db)).toEqual(before);
}

describeEachEngine('contracts: price lists', (db) => {
  it('creates a default list with item, category, labor and fee lines and emits price_list.created', async () => {
    const w = await world(db().db);
    const list = await createPriceList(db().db, {
      name: 'Standard',
      currency: w.currency,
      isDefault: true,
      validFrom: '2025-01-01',
      items: { [w.filterId]: '12.5' },
      categories: { belts: '25' },
      laborRates: { normal: '80', overtime: '120' },
      callOutFee: '45',
      perKmRate: '0.65',
    });
    const decimals = w.currency === 'JPY' ? '' : '.';
    expect(list).toMatchObject({
      isDefault: true,
      customerId: null,
      status: 'active',
      validFrom: '2025-01-01',
      validTo: null,
      version: 1,
    });
    expect(Object.keys(list.laborRates).sort()).toEqual(['normal', 'overtime']);
    expect(list.items[w.filterId]).toContain(`12${decimals}`);
    expect(list.callOutFee).not.toBeNull();
    const events = await readEvents(db().db, { subject: `price_list/${list.id}` });
    expect(events.map((e) => e.type)).toEqual(['price_list.created']);
    expect(events[0]?.data).toEqual({ priceList: list });
    expect(await getPriceList(db().db, list.id)).toEqual(list);
  });

  it('bad input: two default lists of one currency in force on the same day → 409 naming the other, nothing written', async () => {
    const w = await world(db().db);
    const first = await createPriceList(db().db, {
      name: 'Std 2025',
      currency: w.currency,
      isDefault: true,
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
    });
    await expectNothingWritten(
      db().db,
      () =>
        createPriceList(db().db, {
          name: 'Std overlap',
          currency: w.currency,
          isDefault: true,
          validFrom: '2025-12-31',
          laborRates: { normal: '1' },
        }),
      { code: 'conflict', details: { conflictingId: first.id } },
    );
    const next = await createPriceList(db().db, {
      name: 'Std 2026',
      currency: w.currency,
      isDefault: true,
      validFrom: '2026-01-01',
    });
    expect(next.isDefault).toBe(true);
  });

  it('bad input: validity to before from, default list of a customer, unknown item, unknown customer → 400/422', async () => {
    const w = await world(db().db);
    await expectNothingWritten(
      db().db,
      () =>
        createPriceList(db().db, {
          name: 'x',
          currency: w.currency,
          validFrom: '2025-02-01',
          validTo: '2025-01-31',
        }),
      {
        code: 'validation',
        issues: [{ path: ['validTo'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () =>
        createPriceList(db().db, {
          name: 'x',
          currency: w.currency,
          isDefault: true,
          customerId: w.customerId,
        }),
      {
        code: 'validation',
        issues: [{ path: ['isDefault'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () => createPriceList(db().db, { name: 'x', currency: w.currency, items: { 'no-such-item': '1' } }),
      {
        code: 'unprocessable',
        details: { unknownItemIds: ['no-such-item'] },
      },
    );
    await expectNothingWritten(
      db().db,
      () => createPriceList(db().db, { name: 'x', currency: w.currency, customerId: 'nobody' }),
      {
        code: 'unprocessable',
        issues: [{ path: ['customerId'] }],
      },
    );
  });

  it('updates merge lines, null removes one, price_list.updated lists changedFields; stale versions are refused', async () => {
    const w = await world(db().db);
    const list = await createPriceList(db().db, {
      name: 'Customer list',
      currency: w.currency,
      customerId: w.customerId,
      items: { [w.filterId]: '11' },
      laborRates: { normal: '70' },
    });
    const updated = await updatePriceList(
      db().db,
      list.id,
      {
        items: { [w.filterId]: null, [w.beltId]: '19' },
        laborRates: { normal: '70' },
        callOutFee: '30',
        validTo: '2030-12-31',
      },
      1,
    );
    expect(Object.keys(updated.items)).toEqual([w.beltId]);
    expect(updated).toMatchObject({ validTo: '2030-12-31', version: 2 });
    expect(updated.callOutFee).not.toBeNull();
    const [, event] = await readEvents(db().db, { subject: `price_list/${list.id}` });
    expect(event?.type).toBe('price_list.updated');
    expect((event?.data as { changedFields: string[] }).changedFields.sort()).toEqual([
      'callOutFee',
      'items',
      'validTo',
    ]);
    await expectNothingWritten(db().db, () => updatePriceList(db().db, list.id, { name: 'stale' }, 1), {
      code: 'precondition_failed',
    });
    await expectNothingWritten(
      db().db,
      () => updatePriceList(db().db, list.id, { validFrom: '2031-01-01' }),
      {
        code: 'validation',
        issues: [{ path: ['validTo'] }],
      },
    );
    const unchanged = await updatePriceList(db().db, list.id, { laborRates: { normal: '70.00' } });
    expect(unchanged.version).toBe(2);
  });

  it('resolves the customer’s own list and the default list in force on a date; no default list is a 422', async () => {
    const w = await world(db().db);
    await expect(resolvePriceLists(db().db, w.customerId, '2025-03-01')).rejects.toMatchObject({
      code: 'unprocessable',
      details: { currency: w.currency },
    });
    const std = await createPriceList(db().db, { name: 'Std', currency: w.currency, isDefault: true });
    const own = await createPriceList(db().db, {
      name: 'Acme 2025',
      currency: w.currency,
      customerId: w.customerId,
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
    });
    const in2025 = await resolvePriceLists(db().db, w.customerId, '2025-03-01');
    expect([in2025.customerList?.id, in2025.defaultList.id]).toEqual([own.id, std.id]);
    const in2026 = await resolvePriceLists(db().db, w.customerId, '2026-01-01');
    expect([in2026.customerList, in2026.defaultList.id]).toEqual([null, std.id]);
    const forOther = await resolvePriceLists(db().db, w.otherCustomerId, '2025-03-01');
    expect(forOther.customerList).toBeNull();
    await updatePriceList(db().db, own.id, { status: 'archived' });
    expect((await resolvePriceLists(db().db, w.customerId, '2025-03-01')).customerList).toBeNull();
    const listed = await listPriceLists(db().db, { customerId: w.customerId }, { limit: 10 });
    expect(listed.data.map((l) => l.id)).toEqual([own.id]);
  });

  it('bad input: a contract version naming a price list of another currency or another customer → 422, nothing written', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    const foreignCurrency = w.currency === 'EUR' ? 'USD' : 'EUR';
    const wrongCurrency = await createPriceList(db().db, { name: 'fx', currency: foreignCurrency });
    const othersList = await createPriceList(db().db, {
      name: 'theirs',
      currency: w.currency,
      customerId: w.otherCustomerId,
    });
    for (const priceListId of [wrongCurrency.id, othersList.id, 'no-such-list']) {
      await expectNothingWritten(
        db().db,
        () => addContractVersion(db().db, contract.id, { validFrom: '2025-01-01', priceListId }),
        {
          code: 'unprocessable',
          issues: [{ path: ['priceListId'] }],
        },
      );
    }
    const ok = await createPriceList(db().db, { name: 'contract rates', currency: w.currency });
    expect(
      (await addContractVersion(db().db, contract.id, { validFrom: '2025-01-01', priceListId: ok.id }))
        .priceListId,
    ).toBe(ok.id);
  });
});
