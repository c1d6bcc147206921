import { createAsset } from '../../assets/index.js';
import { activateContract, createContract } from '../../contracts/index.js';
import { createCustomer } from '../../customers/index.js';
import { createItem } from '../../items/index.js';
import { createWarehouse, postReceipt } from '../../stock/index.js';
import { createTechnician } from '../../technicians/index.js';
import type { Executor } from '../../../platform/outbox/index.js';

/**
 * A small, real field-service world for tests and the benchmark, built only through the other modules'
 * public services: a customer with a site in a region, parts in a technician's van, an asset and a
 * contract with an SLA. Codes carry a unique tag so many worlds can share one database.
 */
export interface FieldWorld {
  tag: string;
  customerId: string;
  siteId: string;
  region: string;
  otherCustomerId: string;
  vanId: string;
  technicianId: string;
  technicianName: string;
  items: { filter: string; oil: string; pump: string; service: string };
  assetId: string;
  foreignAssetId: string;
  contractId: string;
}

let counter = 0;
const uniqueTag = () => `${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;

export interface FieldWorldOptions {
  region?: string;
  /** On-hand put in the van per stocked item (default 100; the pump is serial-tracked: PUMP-<tag>-1..n). */
  vanStock?: number;
  pumpSerials?: number;
}

export async function createFieldWorld(db: Executor, options: FieldWorldOptions = {}): Promise<FieldWorld> {
  const tag = uniqueTag();
  const region = options.region ?? `region-${tag}`;
  const customer = await createCustomer(db, {
    name: `Acme ${tag}`,
    sites: [{ name: 'Plant', line1: 'Dock 1', city: 'Gent', country: 'BE', region }],
  });
  const other = await createCustomer(db, {
    name: `Other ${tag}`,
    sites: [{ name: 'Else', line1: 'Road 2', city: 'Brugge', country: 'BE' }],
  });
  const siteId = customer.sites[0]?.id ?? '';
  const item = (
    sku: string,
    name: string,
    extra: { serialTracked?: boolean; kind?: 'stocked' | 'service'; unit?: string } = {},
  ) => createItem(db, { sku: `${sku}-${tag}`, name, category: sku.toLowerCase(), listPrice: '10', ...extra });
  const filter = await item('FILTER', 'Air filter');
  const oil = await item('OIL', 'Compressor oil', { unit: 'l' });
  const pump = await item('PUMP', 'Condensate pump', { serialTracked: true });
  const service = await item('SVC', 'Call-out', { kind: 'service' });
  const machine = await item('MACHINE', 'Compressor');
  const van = await createWarehouse(db, { code: `VAN-${tag}`, name: `Van ${tag}`, kind: 'van', region });
  const stock = String(options.vanStock ?? 100);
  await postReceipt(db, { itemId: filter.id, warehouseId: van.id, quantity: stock });
  await postReceipt(db, { itemId: oil.id, warehouseId: van.id, quantity: stock });
  const pumpSerials = Array.from({ length: options.pumpSerials ?? 3 }, (_, i) => `PUMP-${tag}-${i + 1}`);
  if (pumpSerials.length > 0) {
    await postReceipt(db, {
      itemId: pump.id,
      warehouseId: van.id,
      quantity: String(pumpSerials.length),
      serials: pumpSerials,
    });
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
  });
  const foreignAsset = await createAsset(db, {
    serialNumber: `SN-X-${tag}`,
    itemId: machine.id,
    customerId: other.id,
    siteId: other.sites[0]?.id ?? '',
  });
  const contract = await createContract(db, {
    number: `C-${tag}`,
    customerId: customer.id,
    initialVersion: {
      validFrom: '2020-01-01',
      coverage: {
        corrective: { laborCoveredPct: '100', partsCoveredPct: '50' },
        preventive: { laborCoveredPct: '100', partsCoveredPct: '100' },
      },
      sla: {
        responseHours: 8,
        resolutionHours: 48,
        byPriority: { urgent: { responseHours: 2, resolutionHours: 8 } },
      },
    },
  });
  await activateContract(db, contract.id);
  return {
    tag,
    customerId: customer.id,
    siteId,
    region,
    otherCustomerId: other.id,
    vanId: van.id,
    technicianId: technician.id,
    technicianName: technician.name,
    items: { filter: filter.id, oil: oil.id, pump: pump.id, service: service.id },
    assetId: asset.id,
    foreignAssetId: foreignAsset.id,
    contractId: contract.id,
  };
}

/** A 1×1 transparent PNG, base64: the smallest real signature image. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
