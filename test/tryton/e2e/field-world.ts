// The service side of the proof, built only through the hub's REST API on top of what was pulled from
// Tryton: the van (its Tryton location, pulled as a warehouse), a technician, the default price list at Tryton's
// list prices, and per customer a site, an asset with its cost center and a service contract. Then work
// orders run the way a technician's app runs them, and billing approves their documents.
import type { HubApi, Json } from './hub-api.js';

export interface PulledItem {
  id: string;
  sku: string;
  name: string;
  listPrice: string;
}

export interface ServiceCustomer {
  id: string;
  code: string;
  siteId: string;
  assetId: string;
  contractId: string;
  costCenter: string;
}

export interface ServiceCustomerPlan {
  code: string;
  /** Same street and city as the Tryton address, so the site and the address are one place. */
  site: { street: string; city: string };
  costCenter: string;
  /** The asset's warranty: last covered day of parts and labor. */
  warrantyUntil?: string;
  /** Contract version terms (coverage, discounts), valid from `validFrom`, open-ended. */
  contract: { number: string; validFrom: string; terms: Json };
}

export interface WorkOrderPlan {
  customer: ServiceCustomer;
  type: 'preventive' | 'corrective';
  laborMinutes: number;
  parts: [sku: string, quantity: string][];
  completedAt: string;
}

export interface BilledWorkOrder {
  workOrder: { id: string; number: string };
  document: {
    id: string;
    number: string;
    status: string;
    costCenter: string | null;
    totals: { net: { amount: string } };
    lines: { netAmount: { amount: string }; costCenter: string | null }[];
  };
}

const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export async function pulledItems(api: HubApi, skus: readonly string[]): Promise<Record<string, PulledItem>> {
  const out: Record<string, PulledItem> = {};
  for (const sku of skus) out[sku] = await api.one<PulledItem>(`/items?sku=${encodeURIComponent(sku)}`);
  return out;
}

/**
 * The van is a Tryton storage location, pulled as a warehouse by tryton-locations-in (erpLocationRef = its
 * ref, here its code). It is made a van of the scenario's region: kind and region are Fieldsync's fields
 * in that flow, so later pulls keep them. Then a technician whose home van it is.
 */
export async function createVanAndTechnician(
  api: HubApi,
  van: { code: string; erpLocationRef: string },
): Promise<{ vanId: string; technicianId: string }> {
  const locations = await api.pull('tryton-locations-in');
  if (locations.outcome !== 'completed' || locations.pullErrors !== 0)
    throw new Error(`tryton-locations-in: ${JSON.stringify(locations)}`);
  const pulled = await api.one<{ id: string; erpLocationRef: string | null; name: string }>(
    `/warehouses?code=${encodeURIComponent(van.code)}`,
  );
  if (pulled.erpLocationRef !== van.erpLocationRef || pulled.name !== `Van ${van.code}`)
    throw new Error(`the pulled van is not the Tryton location: ${JSON.stringify(pulled)}`);
  const warehouse = await api.patch<{ id: string }>(`/warehouses/${pulled.id}`, {
    kind: 'van',
    region: 'e2e',
  });
  const technician = await api.post<{ id: string }>('/technicians', {
    code: 'T-E2E',
    name: 'Tess Tech',
    region: 'e2e',
    homeVanWarehouseId: warehouse.id,
    costRate: { amount: '45.00', currency: 'EUR' },
  });
  return { vanId: warehouse.id, technicianId: technician.id };
}

/** The default price list: labor at `laborRate` per hour, parts at the list prices pulled from Tryton. */
export async function createDefaultPriceList(
  api: HubApi,
  items: Record<string, PulledItem>,
  laborRate: string,
): Promise<string> {
  const list = await api.post<{ id: string }>('/price-lists', {
    code: 'STD-EUR',
    name: 'Standard prices',
    currency: 'EUR',
    isDefault: true,
    laborRates: { normal: laborRate },
    items: Object.fromEntries(Object.values(items).map((i) => [i.id, i.listPrice])),
  });
  return list.id;
}

/** A pulled customer made ready for service: site, asset (the machine) with cost center, active contract. */
export async function prepareCustomer(
  api: HubApi,
  plan: ServiceCustomerPlan,
  machineItemId: string,
): Promise<ServiceCustomer> {
  const customer = await api.one<{ id: string }>(`/customers?code=${encodeURIComponent(plan.code)}`);
  const withSite = await api.post<{ sites: { id: string }[] }>(`/customers/${customer.id}/sites`, {
    name: 'Plant',
    line1: plan.site.street,
    city: plan.site.city,
    country: 'BE',
    region: 'e2e',
    isBilling: true,
  });
  const siteId = withSite.sites[0]?.id ?? '';
  const asset = await api.post<{ id: string }>('/assets', {
    serialNumber: `SN-${plan.code}`,
    itemId: machineItemId,
    customerId: customer.id,
    siteId,
    name: 'Compressor',
    costCenter: plan.costCenter,
    installDate: '2020-01-01',
    ...(plan.warrantyUntil && {
      warrantyPartsUntil: plan.warrantyUntil,
      warrantyLaborUntil: plan.warrantyUntil,
    }),
  });
  const contract = await api.post<{ id: string }>('/contracts', {
    number: plan.contract.number,
    customerId: customer.id,
    currency: 'EUR',
    initialVersion: { validFrom: plan.contract.validFrom, ...plan.contract.terms },
  });
  await api.post(`/contracts/${contract.id}/activate`);
  return {
    id: customer.id,
    code: plan.code,
    siteId,
    assetId: asset.id,
    contractId: contract.id,
    costCenter: plan.costCenter,
  };
}

/**
 * One job, as the technician's app does it: create, schedule, start, labor, parts from the van (the
 * technician's home van by default), the customer signs the report, complete. Then billing makes the
 * document and approves it.
 */
export async function runWorkOrder(
  api: HubApi,
  technicianId: string,
  items: Record<string, PulledItem>,
  plan: WorkOrderPlan,
): Promise<BilledWorkOrder> {
  const done = Date.parse(plan.completedAt);
  const at = (minutesBefore: number) => new Date(done - minutesBefore * 60_000).toISOString();
  const wo = await api.post<{ id: string; number: string }>('/work-orders', {
    type: plan.type,
    title: 'Compressor service',
    customerId: plan.customer.id,
    assetIds: [plan.customer.assetId],
    contractId: plan.customer.contractId,
    reportedAt: at(240),
    checklistTemplateId: null,
  });
  const route = `/work-orders/${wo.id}`;
  await api.post(`${route}/schedule`, { technicianId, plannedStart: at(200), plannedEnd: at(20) });
  await api.post(`${route}/transitions`, { to: 'in_progress', at: at(180) });
  await api.post(`${route}/labor`, { durationMinutes: plan.laborMinutes, laborType: 'normal' });
  for (const [sku, quantity] of plan.parts)
    await api.post(`${route}/parts`, { itemId: items[sku]?.id, quantity });
  const report = await api.get<{ reportHash: string }>(`${route}/report`);
  await api.post(`${route}/signature`, {
    signerName: 'Carla Customer',
    signedAt: at(10),
    imagePngBase64: TINY_PNG,
    reportHash: report.reportHash,
  });
  await api.post(`${route}/complete`, { completedAt: plan.completedAt });
  const draft = await api.post<{ id: string }>(`/billing/documents/from-work-order/${wo.id}`);
  const document = await api.post<BilledWorkOrder['document']>(`/billing/documents/${draft.id}/approve`);
  return { workOrder: wo, document };
}
