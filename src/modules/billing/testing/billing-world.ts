import { createAsset } from '../../assets/index.js';
import type { ContractVersionInput, PriceList } from '../../contracts/index.js';
import {
  activateContract,
  addContractVersion,
  createContract,
  createPriceList,
  listPriceLists,
  updatePriceList,
} from '../../contracts/index.js';
import { createCustomer } from '../../customers/index.js';
import { createItem } from '../../items/index.js';
import { createWarehouse, postReceipt } from '../../stock/index.js';
import { createTechnician } from '../../technicians/index.js';
import type { WorkOrder } from '../../work-orders/index.js';
import {
  addLabor,
  addPart,
  completeWorkOrder,
  createWorkOrder,
  getServiceReport,
  scheduleWorkOrder,
  signWorkOrder,
  startWorkOrder,
} from '../../work-orders/index.js';
import type { Executor } from '../../../platform/outbox/index.js';

/**
 * A small billing world for tests and the benchmark, built only through the other modules' public
 * services: a customer with a billing site, items with cost prices, a van with stock, a technician with a
 * cost rate, an asset with a cost center, the shared EUR default price list (one per database: default
 * lists must not overlap) and the customer's own list. Codes carry a unique tag so worlds share a database.
 */
export interface BillingWorld {
  tag: string;
  customerId: string;
  customerCode: string;
  siteId: string;
  region: string;
  vanId: string;
  technicianId: string;
  items: { filter: string; belt: string; oil: string; valve: string };
  assetId: string;
  defaultList: PriceList;
  customerList: PriceList;
}

let counter = 0;
const uniqueTag = () => `${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;

const DEFAULT_CODE = 'STD-EUR';

/** The database's EUR default list (created once), with the given item prices merged in. */
async function defaultList(db: Executor, items: Record<string, string>): Promise<PriceList> {
  const found = (await listPriceLists(db, { code: DEFAULT_CODE }, { limit: 1 })).data[0];
  if (found) return updatePriceList(db, found.id, { items });
  return createPriceList(db, {
    code: DEFAULT_CODE,
    name: 'Standard prices',
    currency: 'EUR',
    isDefault: true,
    laborRates: { normal: '80.00', overtime: '120.00', travel: '60.00' },
    callOutFee: '45.00',
    items,
  });
}

export interface BillingWorldOptions {
  region?: string;
  warrantyPartsUntil?: string;
  warrantyLaborUntil?: string;
  /** Give the valve no price anywhere (missing-price cases). */
  valveUnpriced?: boolean;
  /** Default `Acme <tag>`; CSV tests use a name that looks like a formula. */
  customerName?: string;
}

export async function createBillingWorld(
  db: Executor,
  options: BillingWorldOptions = {},
): Promise<BillingWorld> {
  const tag = uniqueTag();
  const region = options.region ?? `region-${tag}`;
  const customer = await createCustomer(db, {
    code: `ACME-${tag}`,
    name: options.customerName ?? `Acme ${tag}`,
    legalName: `Acme Industries ${tag} NV`,
    taxId: 'BE0123456789',
    sites: [
      { name: 'Plant', line1: 'Dock 1', city: 'Gent', postalCode: '9000', country: 'BE', region },
      {
        name: 'Head office',
        line1: 'Main street 5',
        city: 'Brussel',
        postalCode: '1000',
        country: 'BE',
        region,
        isBilling: true,
      },
    ],
  });
  const siteId = customer.sites[0]?.id ?? '';
  const item = (sku: string, name: string, category: string, costPrice: string, unit = 'pc') =>
    createItem(db, { sku: `${sku}-${tag}`, name, category, listPrice: '10', costPrice, unit });
  const filter = await item('FLT', 'Air filter', 'filters', '8.00');
  const belt = await item('BELT', 'Drive belt', 'belts', '20.00');
  const oil = await item('OIL', 'Compressor oil', 'consumables', '4.00', 'l');
  const valve = await item('VLV', 'Relief valve', 'valves', '30.00');
  const machine = await createItem(db, {
    sku: `MACH-${tag}`,
    name: 'Compressor',
    category: 'machines',
    listPrice: '9000',
  });
  const van = await createWarehouse(db, { code: `VAN-${tag}`, name: `Van ${tag}`, kind: 'van', region });
  for (const it of [filter, belt, oil, valve]) {
    await postReceipt(db, { itemId: it.id, warehouseId: van.id, quantity: '100' });
  }
  const technician = await createTechnician(db, {
    code: `T-${tag}`,
    name: `Tess Tech ${tag}`,
    region,
    homeVanWarehouseId: van.id,
    costRate: { amount: '45.00', currency: 'EUR' },
  });
  const asset = await createAsset(db, {
    serialNumber: `SN-${tag}`,
    itemId: machine.id,
    customerId: customer.id,
    siteId,
    name: 'Compressor A',
    costCenter: `CC-${tag}`,
    installDate: '2020-01-01',
    ...(options.warrantyPartsUntil && { warrantyPartsUntil: options.warrantyPartsUntil }),
    ...(options.warrantyLaborUntil && { warrantyLaborUntil: options.warrantyLaborUntil }),
  });
  const std = await defaultList(db, {
    [filter.id]: '25.00',
    [belt.id]: '40.00',
    [oil.id]: '12.50',
  });
  const own = await createPriceList(db, {
    code: `ACME-${tag}`,
    name: `Acme prices ${tag}`,
    currency: 'EUR',
    customerId: customer.id,
    laborRates: { normal: '72.00' },
    items: { [filter.id]: '22.00' },
    ...(options.valveUnpriced ? {} : { categories: { valves: '55.00' } }),
  });
  return {
    tag,
    customerId: customer.id,
    customerCode: customer.code ?? '',
    siteId,
    region,
    vanId: van.id,
    technicianId: technician.id,
    items: { filter: filter.id, belt: belt.id, oil: oil.id, valve: valve.id },
    assetId: asset.id,
    defaultList: std,
    customerList: own,
  };
}

/** An active contract of the world's customer with the given versions (the first is version 1). */
export async function createBillingContract(
  db: Executor,
  world: BillingWorld,
  versions: ContractVersionInput[],
  suffix = '',
): Promise<string> {
  const [first, ...rest] = versions;
  const contract = await createContract(db, {
    number: `C-${world.tag}${suffix}`,
    customerId: world.customerId,
    ...(first && { initialVersion: first }),
  });
  for (const version of rest) await addContractVersion(db, contract.id, version);
  await activateContract(db, contract.id);
  return contract.id;
}

export interface WorkOrderPlan {
  type?: WorkOrder['type'];
  contractId?: string;
  assetIds?: string[];
  /** ISO date-time in the past; reported 3 h and started 2 h before. */
  completedAt: string;
  labor?: { minutes: number; laborType?: 'normal' | 'overtime' | 'travel'; billable?: boolean }[];
  parts?: { itemId: string; quantity: string; assetId?: string }[];
}

/** Runs a work order through the real module to completion (signed), at the given completion time. */
export async function completedWorkOrder(
  db: Executor,
  world: BillingWorld,
  plan: WorkOrderPlan,
): Promise<WorkOrder> {
  const done = Date.parse(plan.completedAt);
  const at = (hoursBefore: number) => new Date(done - hoursBefore * 3_600_000).toISOString();
  const wo = await createWorkOrder(db, {
    type: plan.type ?? 'corrective',
    title: 'Compressor service',
    customerId: world.customerId,
    assetIds: plan.assetIds ?? [world.assetId],
    ...(plan.contractId && { contractId: plan.contractId }),
    reportedAt: at(3),
    checklistTemplateId: null,
  });
  await scheduleWorkOrder(db, wo.id, {
    technicianId: world.technicianId,
    plannedStart: at(2.5),
    plannedEnd: at(0.5),
  });
  await startWorkOrder(db, wo.id, at(2));
  for (const labor of plan.labor ?? [{ minutes: 60 }]) {
    await addLabor(db, wo.id, {
      durationMinutes: labor.minutes,
      laborType: labor.laborType ?? 'normal',
      billable: labor.billable ?? true,
    });
  }
  for (const part of plan.parts ?? []) await addPart(db, wo.id, part);
  const report = await getServiceReport(db, wo.id);
  await signWorkOrder(db, wo.id, {
    signerName: 'Carla Customer',
    imagePngBase64: TINY_PNG,
    reportHash: report.reportHash,
  });
  return completeWorkOrder(db, wo.id, { completedAt: plan.completedAt });
}

const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
