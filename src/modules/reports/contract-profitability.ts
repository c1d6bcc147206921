import { Decimal } from 'decimal.js';
import { summarizeBilling } from '../billing/index.js';
import type { Contract } from '../contracts/index.js';
import { getContract } from '../contracts/index.js';
import { getCustomer } from '../customers/index.js';
import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import type { Technician } from '../technicians/index.js';
import { getTechnician } from '../technicians/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { currencyExponent } from '../../shared/money.js';
import type { CsvColumn } from './csv.js';
import { forEachCompletedWorkOrder } from './completed-work-orders.js';
import { memo } from '../../shared/memo.js';
import { assertPeriod } from './period.js';
import type { ProfitabilityRow, ReportFilter } from './schemas.js';

interface Acc {
  contractId: string;
  currency: string;
  fees: Decimal;
  billed: Decimal;
  parts: Decimal;
  labor: Decimal;
  workOrders: Set<string>;
  laborMinutes: number;
}

/**
 * Per contract and currency: recurring fees + billed work − parts at cost − labor at cost rate.
 * Revenue is the billing documents dated in the period (not drafts; credit notes negative, in the period
 * they were issued). Costs are the contract's work orders completed in the period: every part at the
 * item's current cost price and every recorded labor minute (billable or not) at the technician's current
 * cost rate. Amounts are never converted: a cost in another currency than the revenue gets its own row.
 * Filters: region (documents' and work orders' region), customer, contract.
 */
export async function contractProfitabilityReport(
  executor: Executor,
  filter: ReportFilter,
): Promise<ProfitabilityRow[]> {
  assertPeriod(filter.from, filter.to);
  const accs = new Map<string, Acc>();
  const acc = (contractId: string, currency: string): Acc => {
    const key = `${contractId}|${currency}`;
    let a = accs.get(key);
    if (!a) {
      const zero = new Decimal(0);
      a = {
        contractId,
        currency,
        fees: zero,
        billed: zero,
        parts: zero,
        labor: zero,
        workOrders: new Set(),
        laborMinutes: 0,
      };
      accs.set(key, a);
    }
    return a;
  };
  for (const r of await summarizeBilling(executor, filter)) {
    if (!r.contractId) continue;
    const a = acc(r.contractId, r.currency);
    a.fees = a.fees.plus(r.recurringFeeNet).plus(r.recurringFeeCredits);
    a.billed = a.billed.plus(r.workOrderNet).plus(r.workOrderCredits);
  }
  const item = memo((id): Promise<Item> => getItem(executor, id));
  const technician = memo((id): Promise<Technician> => getTechnician(executor, id));
  await forEachCompletedWorkOrder(executor, filter, async (wo) => {
    if (!wo.contractId) return;
    for (const p of wo.parts) {
      const it = await item(p.itemId);
      const a = acc(wo.contractId, it.currency);
      a.parts = a.parts.plus(new Decimal(it.costPrice).mul(p.quantity));
      a.workOrders.add(wo.id);
    }
    for (const l of wo.labor) {
      const t = await technician(l.technicianId);
      const a = acc(wo.contractId, t.costRate.currency);
      a.labor = a.labor.plus(new Decimal(t.costRate.amount).mul(l.durationMinutes).div(60));
      a.laborMinutes += l.durationMinutes;
      a.workOrders.add(wo.id);
    }
  });
  const contract = memo((id): Promise<Contract> => getContract(executor, id));
  const customerName = memo(async (id) => (await getCustomer(executor, id)).name);
  const rows: ProfitabilityRow[] = [];
  for (const a of accs.values()) {
    const c = await contract(a.contractId);
    const exp = currencyExponent(a.currency);
    // Costs are summed exactly and rounded once per row, half away from zero.
    const round = (d: Decimal) => d.toDecimalPlaces(exp, Decimal.ROUND_HALF_UP);
    const fees = round(a.fees);
    const billed = round(a.billed);
    const parts = round(a.parts);
    const labor = round(a.labor);
    rows.push({
      contractId: c.id,
      contractNumber: c.number,
      customerId: c.customerId,
      customerName: await customerName(c.customerId),
      currency: a.currency,
      recurringFees: fees.toFixed(exp),
      billed: billed.toFixed(exp),
      partsCost: parts.toFixed(exp),
      laborCost: labor.toFixed(exp),
      margin: fees.plus(billed).minus(parts).minus(labor).toFixed(exp),
      workOrders: a.workOrders.size,
      laborHours: new Decimal(a.laborMinutes).div(60).toFixed(2),
    });
  }
  return rows.sort(
    (a, b) => a.contractNumber.localeCompare(b.contractNumber) || a.currency.localeCompare(b.currency),
  );
}

export const profitabilityColumns: CsvColumn<ProfitabilityRow>[] = [
  { key: 'contractId', header: 'contract_id' },
  { key: 'contractNumber', header: 'contract_number' },
  { key: 'customerId', header: 'customer_id' },
  { key: 'customerName', header: 'customer_name' },
  { key: 'currency', header: 'currency' },
  { key: 'recurringFees', header: 'recurring_fees', numeric: true },
  { key: 'billed', header: 'billed', numeric: true },
  { key: 'partsCost', header: 'parts_cost', numeric: true },
  { key: 'laborCost', header: 'labor_cost', numeric: true },
  { key: 'margin', header: 'margin', numeric: true },
  { key: 'workOrders', header: 'work_orders', numeric: true },
  { key: 'laborHours', header: 'labor_hours', numeric: true },
];
