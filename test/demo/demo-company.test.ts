import { expect, it } from 'vitest';
import { listAssets } from '../../src/modules/assets/index.js';
import {
  findContractsCovering,
  listContracts,
  resolvePriceLists,
} from '../../src/modules/contracts/index.js';
import { listCustomers } from '../../src/modules/customers/index.js';
import { getItemBySku } from '../../src/modules/items/index.js';
import { getOnHand, listWarehouses } from '../../src/modules/stock/index.js';
import { listTechnicians } from '../../src/modules/technicians/index.js';
import { listChecklistTemplates } from '../../src/modules/work-orders/index.js';
import { loadDemoCompany } from '../../src/demo/index.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('demo company', (handle) => {
  it('loads a small company through the services, and leaves a database with data alone', async () => {
    const db = handle().db;
    const result = await loadDemoCompany(db);
    expect(result).toEqual({
      loaded: true,
      counts: {
        customers: 4,
        items: 7,
        warehouses: 3,
        technicians: 2,
        assets: 4,
        contracts: 2,
        priceLists: 2,
        checklistTemplates: 1,
      },
    });
    const customers = (await listCustomers(db, {}, { limit: 50 })).data;
    expect(new Set(customers.flatMap((c) => c.sites.map((s) => s.region)))).toEqual(
      new Set(['north', 'south']),
    );
    expect((await getItemBySku(db, 'PUMP-COND'))?.serialTracked).toBe(true);
    expect((await getItemBySku(db, 'SVC-CALLOUT'))?.kind).toBe('service');
    const warehouses = (await listWarehouses(db, {}, { limit: 10 })).data;
    expect(warehouses.map((w) => [w.code, w.kind]).sort()).toEqual([
      ['CENTRAL', 'central'],
      ['VAN-N1', 'van'],
      ['VAN-S1', 'van'],
    ]);
    const van = warehouses.find((w) => w.code === 'VAN-N1');
    const filter = await getItemBySku(db, 'FILTER-AIR');
    expect((await getOnHand(db, { itemId: filter?.id ?? '', warehouseId: van?.id ?? '' }))[0]?.quantity).toBe(
      '20',
    );
    const technicians = (await listTechnicians(db, {}, { limit: 10 })).data;
    expect(technicians.map((t) => t.homeVanWarehouseId).every((id) => id !== null)).toBe(true);
    const assets = (await listAssets(db, {}, { limit: 10 })).data;
    expect(assets.every((a) => a.warrantyPartsUntil !== null && a.status === 'installed')).toBe(true);
    const contracts = (await listContracts(db, { status: 'active' }, { limit: 10 })).data;
    expect(contracts).toHaveLength(2);
    const noord = customers.find((c) => c.code === 'C-1001');
    const covered = assets.find((a) => a.serialNumber === 'SN-X15-0001');
    const covering = await findContractsCovering(db, {
      customerId: noord?.id ?? '',
      assetId: covered?.id ?? '',
      onDate: '2026-05-04',
    });
    expect(covering.map((c) => [c.contract.number, c.matchedBy])).toEqual([['K-2024-001', 'asset']]);
    const lists = await resolvePriceLists(db, noord?.id ?? '', '2026-05-04');
    expect(lists.customerList?.code).toBe('NOORD-2024');
    expect(lists.defaultList.code).toBe('STANDARD-EUR');
    expect((await listChecklistTemplates(db, {}, { limit: 10 })).data.map((t) => t.defaultForType)).toContain(
      'preventive',
    );

    expect(await loadDemoCompany(db)).toEqual({ loaded: false, reason: 'the database already holds data' });
    expect((await listCustomers(db, {}, { limit: 50 })).data).toHaveLength(4);
  });
});
