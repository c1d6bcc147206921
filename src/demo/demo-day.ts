import { Decimal } from 'decimal.js';
import type { WorkOrder, WorkOrderPriority, WorkOrderType } from '../modules/work-orders/index.js';
import {
  addLabor,
  addPart,
  answerChecklist,
  completeWorkOrder,
  createWorkOrder,
  getServiceReport,
  listWorkOrders,
  scheduleWorkOrder,
  signWorkOrder,
  startWorkOrder,
} from '../modules/work-orders/index.js';
import { approveDocument, billWorkOrder } from '../modules/billing/index.js';
import { getOnHand, listSerials, postReceipt, transferStock } from '../modules/stock/index.js';
import type { Db } from '../platform/outbox/index.js';
import { errors } from '../shared/errors/index.js';
import { demoRefs, ensureInstalledAsset, type DemoRefs } from './demo-refs.js';

/** A signature pad's smallest honest image: a 1×1 PNG. */
const SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

interface Visit {
  slot: number;
  technician: 'T-ANNA' | 'T-BRUNO';
  type: WorkOrderType;
  priority: WorkOrderPriority;
  customer: string;
  /** An existing asset's serial, or `new` for the boiler installed today. */
  asset: string;
  contract?: string;
  title: string;
  labor: { laborType: 'normal' | 'travel'; minutes: number }[];
  parts: { sku: string; quantity: string }[];
  answers?: { key: string; value: string | number }[];
  signer: string;
}

const visits: readonly Visit[] = [
  {
    slot: 0, technician: 'T-ANNA', type: 'preventive', priority: 'normal', customer: 'C-1001', asset: 'SN-X15-0001',
    contract: 'K-2024-001', title: 'Quarterly compressor service',
    labor: [{ laborType: 'travel', minutes: 20 }, { laborType: 'normal', minutes: 85 }],
    parts: [{ sku: 'FILTER-AIR', quantity: '2' }, { sku: 'OIL-COMP', quantity: '1.5' }],
    answers: [{ key: 'oil_level_ok', value: 'pass' }, { key: 'pressure_bar', value: 7.8 }, { key: 'belt_ok', value: 'pass' }, { key: 'remarks', value: 'Filter replaced, oil topped up' }],
    signer: 'Jan Peeters',
  },
  {
    slot: 1, technician: 'T-ANNA', type: 'corrective', priority: 'high', customer: 'C-1003', asset: 'SN-X15-0002',
    title: 'Compressor trips on overload', labor: [{ laborType: 'normal', minutes: 60 }],
    parts: [{ sku: 'BELT-V', quantity: '1' }], signer: 'Sofie Maes',
  },
  {
    slot: 2, technician: 'T-BRUNO', type: 'corrective', priority: 'urgent', customer: 'C-1002', asset: 'SN-G24-0001',
    contract: 'K-2024-002', title: 'No hot water in the main building', labor: [{ laborType: 'normal', minutes: 75 }],
    parts: [{ sku: 'PUMP-COND', quantity: '1' }], signer: 'Dr. Lien Claes',
  },
  {
    slot: 3, technician: 'T-BRUNO', type: 'installation', priority: 'normal', customer: 'C-1004', asset: 'new',
    title: 'Install a second boiler', labor: [{ laborType: 'travel', minutes: 30 }, { laborType: 'normal', minutes: 120 }],
    parts: [], signer: 'Pieter Bakker',
  },
];

export interface DemoDayWorkOrder {
  number: string;
  type: WorkOrderType;
  title: string;
  customer: string;
  technician: string;
  status: string;
  parts: number;
  laborMinutes: number;
  /** Done by an earlier run for the same day: left as it was. */
  alreadyDone: boolean;
  /** The approved billing document (number and net total), or why there is none. */
  billing: { number: string; net: string; currency: string } | { error: string };
}

export interface DemoDayResult {
  date: string;
  workOrders: DemoDayWorkOrder[];
}

export interface DemoDayOptions {
  /** YYYY-MM-DD, today (UTC) by default; a day in the future is refused. */
  date?: string;
  now?: Date;
}

const MINUTE = 60_000;

/** The working day's timeline: visits every 2¼ h ending before `end` (now, for today). */
function timeline(date: string, now: Date): (slot: number) => { planned: [string, string]; started: string; signed: string; completed: string; reported: string } {
  const today = now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw errors.validation(`--date must be a day as YYYY-MM-DD, got "${date}"`, [{ path: ['date'], message: 'YYYY-MM-DD' }]);
  }
  if (date > today) throw errors.validation(`${date} is in the future; simulate today or an earlier day`, [{ path: ['date'], message: 'not in the future' }]);
  const end = date === today ? now.getTime() - 2 * MINUTE : Date.parse(`${date}T17:00:00Z`);
  const dayStart = end - 9 * 60 * MINUTE;
  const at = (ms: number) => new Date(ms).toISOString();
  return (slot) => {
    const s = dayStart + slot * 135 * MINUTE;
    return { planned: [at(s), at(s + 120 * MINUTE)], started: at(s + 10 * MINUTE), signed: at(s + 110 * MINUTE), completed: at(s + 115 * MINUTE), reported: at(dayStart - 120 * MINUTE) };
  };
}

async function findByMarker(db: Db, technicianId: string, marker: string): Promise<WorkOrder | undefined> {
  let afterId: string | undefined;
  for (let page = 0; page < 200; page += 1) {
    const { data, nextAfterId } = await listWorkOrders(db, { technicianId }, { limit: 100, ...(afterId && { afterId }) });
    const found = data.find((wo) => wo.externalRefs.demo === marker);
    if (found || nextAfterId === null) return found;
    afterId = nextAfterId;
  }
  return undefined;
}

/** Tops the van up from the central warehouse (and that one from a purchase) so a part can always be used. */
async function ensureVanStock(db: Db, refs: DemoRefs, vanId: string, sku: string, quantity: string): Promise<string[]> {
  const item = refs.item(sku);
  if (item.serialTracked) {
    const inVan = await listSerials(db, { itemId: item.id, warehouseId: vanId, status: 'in_stock' }, { limit: 1 });
    if (inVan.data[0]) return [inVan.data[0].serial];
    const inCentral = await listSerials(db, { itemId: item.id, warehouseId: refs.central.id, status: 'in_stock' }, { limit: 1 });
    const serial = inCentral.data[0]?.serial ?? `PUMP-${Date.now().toString(36).toUpperCase()}`;
    if (!inCentral.data[0]) await postReceipt(db, { itemId: item.id, warehouseId: refs.central.id, quantity: '1', serials: [serial], reference: 'DEMO-PURCHASE' });
    await transferStock(db, { itemId: item.id, fromWarehouseId: refs.central.id, toWarehouseId: vanId, quantity: '1', serials: [serial], reference: 'DEMO-VAN-FILL' });
    return [serial];
  }
  const onHand = async (warehouseId: string) => new Decimal((await getOnHand(db, { itemId: item.id, warehouseId }))[0]?.quantity ?? '0');
  if ((await onHand(vanId)).gte(quantity)) return [];
  const refill = new Decimal(quantity).mul(5).toFixed();
  if ((await onHand(refs.central.id)).lt(refill)) {
    await postReceipt(db, { itemId: item.id, warehouseId: refs.central.id, quantity: new Decimal(refill).mul(4).toFixed(), reference: 'DEMO-PURCHASE' });
  }
  await transferStock(db, { itemId: item.id, fromWarehouseId: refs.central.id, toWarehouseId: vanId, quantity: refill, reference: 'DEMO-VAN-FILL' });
  return [];
}

/**
 * Prices the completed work order into a billing document and approves it (the approval is what the
 * billing-documents flow exports, with its UBL invoice). Billing is its own module: when it refuses, the
 * day still counts and the reason is shown instead of a document.
 */
async function billAndApprove(db: Db, workOrderId: string): Promise<DemoDayWorkOrder['billing']> {
  try {
    let { document } = await billWorkOrder(db, workOrderId);
    if (document.status === 'draft') document = await approveDocument(db, document.id);
    return { number: document.number, net: document.totals.net.amount, currency: document.currency };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One technician day through the services: for each visit a work order is created, scheduled, started,
 * given labor, parts from the van, checklist answers and the customer's signature, completed, billed and
 * the billing document approved. Each
 * work order carries `externalRefs.demo = day-<date>-<n>`, so running the same day again finishes what an
 * interrupted run left and adds nothing twice.
 */
export async function simulateTechnicianDay(db: Db, options: DemoDayOptions = {}): Promise<DemoDayResult> {
  const now = options.now ?? new Date();
  const date = options.date ?? now.toISOString().slice(0, 10);
  const times = timeline(date, now);
  const refs = await demoRefs(db);
  const out: DemoDayWorkOrder[] = [];
  for (const visit of visits) {
    const t = times(visit.slot);
    const technician = refs.technician(visit.technician);
    const customer = refs.customer(visit.customer);
    const marker = `day-${date}-${visit.slot + 1}`;
    let wo = await findByMarker(db, technician.id, marker);
    const alreadyDone = wo !== undefined && ['completed', 'closed', 'cancelled'].includes(wo.status);
    if (wo === undefined) {
      const assetId =
        visit.asset === 'new' ? await ensureInstalledAsset(db, refs, customer, `SN-G24-${date.replace(/-/g, '')}`, date) : refs.asset(visit.asset).id;
      wo = await createWorkOrder(db, {
        type: visit.type,
        priority: visit.priority,
        title: visit.title,
        customerId: customer.id,
        assetIds: [assetId],
        ...(visit.contract !== undefined && { contractId: refs.contract(visit.contract).id }),
        reportedAt: t.reported,
        externalRefs: { demo: marker },
      });
    }
    if (wo.status === 'draft') wo = await scheduleWorkOrder(db, wo.id, { technicianId: technician.id, plannedStart: t.planned[0], plannedEnd: t.planned[1] });
    if (wo.status === 'scheduled') wo = await startWorkOrder(db, wo.id, t.started);
    if (wo.status === 'in_progress') {
      if (wo.labor.length === 0) for (const l of visit.labor) wo = await addLabor(db, wo.id, { laborType: l.laborType, durationMinutes: l.minutes });
      if (wo.parts.length === 0) {
        const vanId = technician.homeVanWarehouseId ?? refs.central.id;
        for (const p of visit.parts) {
          const serials = await ensureVanStock(db, refs, vanId, p.sku, p.quantity);
          wo = await addPart(db, wo.id, { itemId: refs.item(p.sku).id, quantity: p.quantity, warehouseId: vanId, serials, assetId: wo.assets[0]?.assetId });
        }
      }
      if (visit.answers && wo.checklist !== null && wo.answers.length === 0) wo = await answerChecklist(db, wo.id, { answers: visit.answers });
      if (wo.signature === null) {
        const report = await getServiceReport(db, wo.id);
        wo = await signWorkOrder(db, wo.id, { signerName: visit.signer, signedAt: t.signed, imagePngBase64: SIGNATURE_PNG, reportHash: report.reportHash });
      }
      wo = await completeWorkOrder(db, wo.id, { completedAt: t.completed });
    }
    const billing = wo.status === 'completed' || wo.status === 'closed' ? await billAndApprove(db, wo.id) : { error: `work order is ${wo.status}` };
    out.push({
      number: wo.number,
      type: wo.type,
      title: wo.title,
      customer: wo.customerName,
      technician: wo.technicianName ?? technician.name,
      status: wo.status,
      parts: wo.parts.length,
      laborMinutes: wo.labor.reduce((sum, l) => sum + l.durationMinutes, 0),
      alreadyDone,
      billing,
    });
  }
  return { date, workOrders: out };
}
