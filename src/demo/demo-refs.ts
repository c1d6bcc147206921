import { createAsset, listAssets } from '../modules/assets/index.js';
import type { Asset } from '../modules/assets/index.js';
import type { Contract } from '../modules/contracts/index.js';
import { listContracts } from '../modules/contracts/index.js';
import type { Customer } from '../modules/customers/index.js';
import { listCustomers } from '../modules/customers/index.js';
import type { Item } from '../modules/items/index.js';
import { getItemBySku } from '../modules/items/index.js';
import type { Warehouse } from '../modules/stock/index.js';
import { listWarehouses } from '../modules/stock/index.js';
import type { Technician } from '../modules/technicians/index.js';
import { listTechnicians } from '../modules/technicians/index.js';
import type { Db } from '../platform/outbox/index.js';
import { errors } from '../shared/errors/index.js';
import { demoAssets, demoContracts, demoCustomers, demoItems, demoTechnicians } from './demo-catalog.js';

/** The demo company's records by their codes, looked up once through the services. */
export interface DemoRefs {
  central: Warehouse;
  technician(code: string): Technician;
  customer(code: string): Customer;
  asset(serial: string): Asset;
  item(sku: string): Item;
  contract(number: string): Contract;
}

const missing = (what: string) =>
  errors.validation(
    `the demo company is not in this database (${what} not found); run "fieldsync start" on a fresh data folder first`,
  );

function pick<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw missing(`${what} ${key}`);
  return value;
}

export async function demoRefs(db: Db): Promise<DemoRefs> {
  const technicians = new Map<string, Technician>();
  for (const t of demoTechnicians) {
    const found = (await listTechnicians(db, { code: t.code }, { limit: 1 })).data[0];
    if (found) technicians.set(t.code, found);
  }
  const customers = new Map<string, Customer>();
  for (const c of demoCustomers) {
    const found = (await listCustomers(db, { code: c.code }, { limit: 1 })).data[0];
    if (found) customers.set(c.code, found);
  }
  const assets = new Map<string, Asset>();
  for (const a of demoAssets) {
    const found = (await listAssets(db, { serialNumber: a.serialNumber }, { limit: 1 })).data[0];
    if (found) assets.set(a.serialNumber, found);
  }
  const items = new Map<string, Item>();
  for (const i of demoItems) {
    const found = await getItemBySku(db, i.sku);
    if (found) items.set(i.sku, found);
  }
  const contracts = new Map<string, Contract>();
  for (const k of demoContracts) {
    const found = (await listContracts(db, { number: k.number }, { limit: 1 })).data[0];
    if (found) contracts.set(k.number, found);
  }
  const central = (await listWarehouses(db, { code: 'CENTRAL' }, { limit: 1 })).data[0];
  if (central === undefined) throw missing('warehouse CENTRAL');
  if (technicians.size === 0) throw missing('technician T-ANNA');
  return {
    central,
    technician: (code) => pick(technicians, code, 'technician'),
    customer: (code) => pick(customers, code, 'customer'),
    asset: (serial) => pick(assets, serial, 'asset'),
    item: (sku) => pick(items, sku, 'item'),
    contract: (number) => pick(contracts, number, 'contract'),
  };
}

/** The boiler installed on a demo day: created once per serial, installed at the customer's first site. */
export async function ensureInstalledAsset(
  db: Db,
  refs: DemoRefs,
  customer: Customer,
  serialNumber: string,
  date: string,
): Promise<string> {
  const existing = (await listAssets(db, { serialNumber }, { limit: 1 })).data[0];
  if (existing) return existing.id;
  const siteId = customer.sites[0]?.id;
  if (siteId === undefined) throw missing(`a site of customer ${customer.code ?? customer.id}`);
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(4) === '-02-29' ? '-02-28' : date.slice(4);
  const asset = await createAsset(db, {
    serialNumber,
    itemId: refs.item('BOIL-G24').id,
    name: `Boiler installed ${date}`,
    customerId: customer.id,
    siteId,
    costCenter: 'CC-SOUTH',
    status: 'installed',
    installDate: date,
    warrantyPartsUntil: `${year + 2}${monthDay}`,
    warrantyLaborUntil: `${year + 1}${monthDay}`,
  });
  return asset.id;
}
