import { Decimal } from 'decimal.js';
import type { WorkOrder, WorkOrderType } from '../modules/work-orders/index.js';
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
import { SIGNATURE_PNG, timeline, visits } from './demo-day-plan.js';
import { demoRefs, ensureInstalledAsset, type DemoRefs } from './demo-refs.js';

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

async function findByMarker(db: Db, technicianId: string, marker: string): Promise<WorkOrder | undefined> {
  let afterId: string | undefined;
  for (let page = 0; page < 200; page += 1) {
    const { data, nextAfterId } = await listWorkOrders(
      db,
      { technicianId },
      { limit: 100, ...(afterId && { afterId }) },
    );
    const found = data.find((wo) => wo.externalRefs.demo === marker);
    if (found || nextAfterId === null) return found;
    afterId = nextAfterId;
  }
  return undefined;
}

/** Tops the van up from the central warehouse (and that one from a purchase) so a part can always be used. */
async function ensureVanStock(
  db: Db,
  refs: DemoRefs,
  vanId: string,
  sku: string,
  quantity: string,
): Promise<string[]> {
  const item = refs.item(sku);
  if (item.serialTracked) {
    const inVan = await listSerials(
      db,
      { itemId: item.id, warehouseId: vanId, status: 'in_stock' },
      { limit: 1 },
    );
    if (inVan.data[0]) return [inVan.data[0].serial];
    const inCentral = await listSerials(
      db,
      { itemId: item.id, warehouseId: refs.central.id, status: 'in_stock' },
      { limit: 1 },
    );
    const serial = inCentral.data[0]?.serial ?? `PUMP-${Date.now().toString(36).toUpperCase()}`;
    if (!inCentral.data[0])
      await postReceipt(db, {
        itemId: item.id,
        warehouseId: refs.central.id,
        quantity: '1',
        serials: [serial],
        reference: 'DEMO-PURCHASE',
      });
    await transferStock(db, {
      itemId: item.id,
      fromWarehouseId: refs.central.id,
      toWarehouseId: vanId,
      quantity: '1',
      serials: [serial],
      reference: 'DEMO-VAN-FILL',
    });
    return [serial];
  }
  const onHand = async (warehouseId: string) =>
    new Decimal((await getOnHand(db, { itemId: item.id, warehouseId }))[0]?.quantity ?? '0');
  if ((await onHand(vanId)).gte(quantity)) return [];
  const refill = new Decimal(quantity).mul(5).toFixed();
  if ((await onHand(refs.central.id)).lt(refill)) {
    await postReceipt(db, {
      itemId: item.id,
      warehouseId: refs.central.id,
      quantity: new Decimal(refill).mul(4).toFixed(),
      reference: 'DEMO-PURCHASE',
    });
  }
  await transferStock(db, {
    itemId: item.id,
    fromWarehouseId: refs.central.id,
    toWarehouseId: vanId,
    quantity: refill,
    reference: 'DEMO-VAN-FILL',
  });
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
        visit.asset === 'new'
          ? await ensureInstalledAsset(db, refs, customer, `SN-G24-${date.replace(/-/g, '')}`, date)
          : refs.asset(visit.asset).id;
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
    if (wo.status === 'draft')
      wo = await scheduleWorkOrder(db, wo.id, {
        technicianId: technician.id,
        plannedStart: t.planned[0],
        plannedEnd: t.planned[1],
      });
    if (wo.status === 'scheduled') wo = await startWorkOrder(db, wo.id, t.started);
    if (wo.status === 'in_progress') {
      if (wo.labor.length === 0)
        for (const l of visit.labor)
          wo = await addLabor(db, wo.id, { laborType: l.laborType, durationMinutes: l.minutes });
      if (wo.parts.length === 0) {
        const vanId = technician.homeVanWarehouseId ?? refs.central.id;
        for (const p of visit.parts) {
          const serials = await ensureVanStock(db, refs, vanId, p.sku, p.quantity);
          wo = await addPart(db, wo.id, {
            itemId: refs.item(p.sku).id,
            quantity: p.quantity,
            warehouseId: vanId,
            serials,
            assetId: wo.assets[0]?.assetId,
          });
        }
      }
      if (visit.answers && wo.checklist !== null && wo.answers.length === 0)
        wo = await answerChecklist(db, wo.id, { answers: visit.answers });
      if (wo.signature === null) {
        const report = await getServiceReport(db, wo.id);
        wo = await signWorkOrder(db, wo.id, {
          signerName: visit.signer,
          signedAt: t.signed,
          imagePngBase64: SIGNATURE_PNG,
          reportHash: report.reportHash,
        });
      }
      wo = await completeWorkOrder(db, wo.id, { completedAt: t.completed });
    }
    const billing =
      wo.status === 'completed' || wo.status === 'closed'
        ? await billAndApprove(db, wo.id)
        : { error: `work order is ${wo.status}` };
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
