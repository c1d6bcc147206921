import { expect, it } from 'vitest';
import { createAsset, moveAsset, transitionAsset } from '../../src/modules/assets/index.js';
import {
  addContractVersion,
  createContract,
  createPriceList,
  getContract,
} from '../../src/modules/contracts/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

/** Outcome of each parallel call: 'ok', or the AppError code (anything else fails the test). */
async function settle(calls: (() => Promise<unknown>)[]): Promise<string[]> {
  const results = await Promise.allSettled(calls.map((call) => call()));
  return results
    .map((r) => {
      if (r.status === 'fulfilled') return 'ok';
      if (r.reason instanceof AppError) return r.reason.code;
      throw r.reason;
    })
    .sort();
}

const eight = <T>(make: (i: number) => T): T[] => Array.from({ length: 8 }, (_, i) => make(i));

/** Opens 8 pooled connections up front so the parallel calls really overlap instead of waiting on connects. */
async function warmPool(db: Db): Promise<void> {
  await Promise.all(
    eight(() =>
      db.transaction().execute(async (tx) => {
        await tx.selectFrom('price_lists').select('id').limit(1).execute();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }),
    ),
  );
}

// On PostgreSQL the calls run on separate pooled connections at once; on SQLite they queue on the single
// writer. The outcome must be the same on both.
describeEachEngine('assets and contracts under concurrency', (handle) => {
  const db = () => handle().db;

  it('8 parallel overlapping versions of one contract: exactly one is added, the rest are 409s', async () => {
    const customer = await createCustomer(db(), { name: uniq('Acme'), sites: [site('A')] });
    const contract = await createContract(db(), { number: uniq('C'), customerId: customer.id });
    await warmPool(db());
    const outcomes = await settle(
      eight((i) => () => addContractVersion(db(), contract.id, { validFrom: `2025-0${i + 1}-01` })),
    );
    expect(outcomes).toEqual([
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'ok',
    ]);
    expect((await getContract(db(), contract.id)).versions).toHaveLength(1);
  });

  it('8 parallel default price lists of one currency: exactly one is created', async () => {
    await warmPool(db());
    const outcomes = await settle(
      eight((i) => () => createPriceList(db(), { name: `std ${i}`, currency: 'NZD', isDefault: true })),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(7);
  });

  it('8 parallel registrations of one serial number and 8 parallel moves of one asset: one of each wins', async () => {
    const customer = await createCustomer(db(), { name: uniq('Acme'), sites: [site('A'), site('B')] });
    const item = await createItem(db(), {
      sku: uniq('PMP'),
      name: 'Pump',
      category: 'pumps',
      listPrice: '1',
    });
    const [siteA, siteB] = customer.sites.map((s) => s.id);
    const serialNumber = uniq('SN');
    const body = {
      serialNumber,
      itemId: item.id,
      customerId: customer.id,
      siteId: siteA ?? '',
      installDate: '2024-01-01',
    };
    const registrations = await settle(eight(() => () => createAsset(db(), body)));
    expect(registrations).toEqual([
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'conflict',
      'ok',
    ]);
    const asset = await createAsset(db(), { ...body, serialNumber: uniq('SN') });
    await transitionAsset(db(), asset.id, { to: 'in_service', effectiveDate: '2024-01-02' });
    const moves = await settle(
      eight(() => () => moveAsset(db(), asset.id, { siteId: siteB, reason: 'parallel' })),
    );
    expect(moves.filter((o) => o === 'ok')).toHaveLength(1);
    const count = await db()
      .selectFrom('asset_moves')
      .where('asset_id', '=', asset.id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
