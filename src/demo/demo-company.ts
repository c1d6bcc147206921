import { createAsset } from '../modules/assets/index.js';
import { activateContract, createContract, createPriceList } from '../modules/contracts/index.js';
import { createCustomer, listCustomers } from '../modules/customers/index.js';
import type { Item } from '../modules/items/index.js';
import { createItem, listItems } from '../modules/items/index.js';
import type { Warehouse } from '../modules/stock/index.js';
import { createWarehouse, postReceipt, transferStock } from '../modules/stock/index.js';
import { createTechnician } from '../modules/technicians/index.js';
import { createChecklistTemplate } from '../modules/work-orders/index.js';
import type { Db } from '../platform/outbox/index.js';
import {
  demoAssets,
  demoChecklist,
  demoContracts,
  demoCustomers,
  demoItems,
  demoStock,
  demoTechnicians,
  demoWarehouses,
} from './demo-catalog.js';

export interface DemoCounts {
  customers: number;
  items: number;
  warehouses: number;
  technicians: number;
  assets: number;
  contracts: number;
  priceLists: number;
  checklistTemplates: number;
}

export type DemoLoadResult = { loaded: true; counts: DemoCounts } | { loaded: false; reason: string };

/** Any customer or item means someone's data is here: the demo never mixes into it. */
export async function hasOperationalData(db: Db): Promise<boolean> {
  const customers = await listCustomers(db, {}, { limit: 1 });
  if (customers.data.length > 0) return true;
  return (await listItems(db, {}, { limit: 1 })).data.length > 0;
}

const need = <T>(map: Map<string, T>, key: string): T => {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo catalog refers to unknown ${key}`);
  return value;
};

/**
 * Loads the demo company through the domain services only (so every record has its events and passes
 * the same rules as API input): customers with sites in two regions, items (one serial-tracked, one
 * service), a central warehouse and two technician vans with stock, technicians, assets under warranty at
 * customer sites, contracts with coverage, SLA and a recurring fee, price lists and a checklist template.
 * Skipped when the database already holds customers or items.
 */
export async function loadDemoCompany(db: Db): Promise<DemoLoadResult> {
  if (await hasOperationalData(db)) return { loaded: false, reason: 'the database already holds data' };

  const customers = new Map<string, { id: string; siteId: string }>();
  for (const c of demoCustomers) {
    const created = await createCustomer(db, {
      ...c,
      currency: 'EUR',
      sites: c.sites.map((s) => ({ ...s })),
    });
    customers.set(c.code, { id: created.id, siteId: created.sites[0]?.id ?? '' });
  }

  const items = new Map<string, Item>();
  for (const i of demoItems) items.set(i.sku, await createItem(db, { ...i, currency: 'EUR' }));

  const warehouses = new Map<string, Warehouse>();
  for (const w of demoWarehouses) warehouses.set(w.code, await createWarehouse(db, { ...w }));
  const central = need(warehouses, 'CENTRAL');
  const reference = 'DEMO-OPENING';
  for (const [sku, quantity] of Object.entries(demoStock.central)) {
    await postReceipt(db, { itemId: need(items, sku).id, warehouseId: central.id, quantity, reference });
  }
  const pump = need(items, 'PUMP-COND');
  await postReceipt(db, {
    itemId: pump.id,
    warehouseId: central.id,
    quantity: String(demoStock.pumpSerials.length),
    serials: [...demoStock.pumpSerials],
    reference,
  });
  for (const van of ['VAN-N1', 'VAN-S1'] as const) {
    const to = need(warehouses, van).id;
    for (const [sku, quantity] of Object.entries(demoStock.perVan)) {
      await transferStock(db, {
        itemId: need(items, sku).id,
        fromWarehouseId: central.id,
        toWarehouseId: to,
        quantity,
        reference: 'DEMO-VAN-FILL',
      });
    }
    const serials = [...demoStock.pumpSerialsPerVan[van]];
    await transferStock(db, {
      itemId: pump.id,
      fromWarehouseId: central.id,
      toWarehouseId: to,
      quantity: String(serials.length),
      serials,
      reference: 'DEMO-VAN-FILL',
    });
  }

  for (const t of demoTechnicians) {
    await createTechnician(db, {
      code: t.code,
      name: t.name,
      region: t.region,
      skills: [...t.skills],
      homeVanWarehouseId: need(warehouses, t.van).id,
      costRate: { amount: t.rate, currency: 'EUR' },
    });
  }

  const assets = new Map<string, string>();
  for (const a of demoAssets) {
    const customer = need(customers, a.customer);
    const asset = await createAsset(db, {
      serialNumber: a.serialNumber,
      itemId: need(items, a.sku).id,
      name: a.name,
      customerId: customer.id,
      siteId: customer.siteId,
      costCenter: a.costCenter,
      status: 'installed',
      installDate: a.installDate,
      warrantyPartsUntil: a.warrantyPartsUntil,
      warrantyLaborUntil: a.warrantyLaborUntil,
    });
    assets.set(a.serialNumber, asset.id);
  }

  const standard = await createPriceList(db, {
    code: 'STANDARD-EUR',
    name: 'Standard prices',
    currency: 'EUR',
    isDefault: true,
    validFrom: '2024-01-01',
    items: Object.fromEntries([...items.values()].map((i) => [i.id, i.listPrice])),
    laborRates: { normal: '75.00', overtime: '110.00', travel: '40.00' },
    callOutFee: '45.00',
    perKmRate: '0.60',
  });
  await createPriceList(db, {
    code: 'NOORD-2024',
    name: 'Brasserie Noord agreed prices',
    currency: 'EUR',
    customerId: need(customers, 'C-1001').id,
    validFrom: '2024-01-01',
    items: { [need(items, 'FILTER-AIR').id]: '11.00', [need(items, 'OIL-COMP').id]: '7.90' },
    laborRates: { normal: '68.00' },
  });

  for (const k of demoContracts) {
    const contract = await createContract(db, {
      number: k.number,
      customerId: need(customers, k.customer).id,
      title: k.title,
      initialVersion: {
        validFrom: '2024-01-01',
        coveredAssetIds: k.assets.map((serial) => need(assets, serial)),
        coverage: {
          preventive: { laborCoveredPct: '100', partsCoveredPct: '100' },
          corrective: { laborCoveredPct: '50', partsCoveredPct: '0', travelCovered: true },
        },
        sla: {
          responseHours: 8,
          resolutionHours: 48,
          byPriority: { urgent: { responseHours: 4, resolutionHours: 24 } },
        },
        recurringFee: { amount: k.fee, period: 'monthly' },
        priceListId: standard.id,
      },
    });
    await activateContract(db, contract.id);
  }

  await createChecklistTemplate(db, { ...demoChecklist, items: demoChecklist.items.map((i) => ({ ...i })) });

  return {
    loaded: true,
    counts: {
      customers: customers.size,
      items: items.size,
      warehouses: warehouses.size,
      technicians: demoTechnicians.length,
      assets: assets.size,
      contracts: demoContracts.length,
      priceLists: 2,
      checklistTemplates: 1,
    },
  };
}
