import { Decimal } from 'decimal.js';
import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import type { Warehouse } from '../stock/index.js';
import { getWarehouse, listMovements } from '../stock/index.js';
import type { WorkOrder } from '../work-orders/index.js';
import { getWorkOrder } from '../work-orders/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { fromMinorUnits, toMinorUnits } from '../../shared/money.js';
import { milliToQuantity, quantityToMilli } from '../../shared/quantity.js';
import type { CsvColumn } from './csv.js';
import { memo } from '../../shared/memo.js';
import { assertPeriod } from './period.js';
import type { ConsumptionRow, ReportFilter } from './schemas.js';

interface Bucket {
  itemId: string;
  warehouseId: string;
  issuedMilli: number;
  returnedMilli: number;
  workOrders: Set<string>;
}

/**
 * Parts consumed by field service per item × warehouse: stock issues to work orders minus returns from
 * work orders, posted in the period (by postedAt, UTC days), read from the stock ledger through the stock
 * module's public listing. Valued at the item's current cost price (not a historical cost), in the item's
 * currency. Filters: region (the warehouse's region), customer and contract (the work order's).
 */
export async function inventoryConsumptionReport(
  executor: Executor,
  filter: ReportFilter,
): Promise<ConsumptionRow[]> {
  assertPeriod(filter.from, filter.to);
  const warehouse = memo((id) => getWarehouse(executor, id));
  const workOrder = memo((id) => getWorkOrder(executor, id));
  const item = memo((id) => getItem(executor, id));
  const buckets = new Map<string, Bucket>();
  const keep = async (warehouseId: string, workOrderId: string | null): Promise<boolean> => {
    if (!workOrderId) return false;
    if (filter.region && (await warehouse(warehouseId)).region !== filter.region) return false;
    if (!filter.customerId && !filter.contractId) return true;
    const wo: WorkOrder = await workOrder(workOrderId);
    if (filter.customerId && wo.customerId !== filter.customerId) return false;
    return !filter.contractId || wo.contractId === filter.contractId;
  };
  for (const kind of ['issue', 'return'] as const) {
    let afterId: string | undefined;
    do {
      const page = await listMovements(
        executor,
        { kind, from: filter.from, to: filter.to },
        { limit: 500, afterId },
      );
      for (const m of page.data) {
        if (!(await keep(m.warehouseId, m.workOrderId))) continue;
        const key = `${m.itemId}|${m.warehouseId}`;
        const bucket = buckets.get(key) ?? {
          itemId: m.itemId,
          warehouseId: m.warehouseId,
          issuedMilli: 0,
          returnedMilli: 0,
          workOrders: new Set<string>(),
        };
        const milli = quantityToMilli(m.quantity);
        // Issues are negative (out of the warehouse), returns positive.
        if (kind === 'issue') bucket.issuedMilli -= milli;
        else bucket.returnedMilli += milli;
        if (m.workOrderId) bucket.workOrders.add(m.workOrderId);
        buckets.set(key, bucket);
      }
      afterId = page.nextAfterId ?? undefined;
    } while (afterId);
  }
  const rows: ConsumptionRow[] = [];
  for (const b of buckets.values()) {
    const it: Item = await item(b.itemId);
    const wh: Warehouse = await warehouse(b.warehouseId);
    const consumedMilli = b.issuedMilli - b.returnedMilli;
    const consumed = milliToQuantity(consumedMilli);
    const value = toMinorUnits(new Decimal(it.costPrice).mul(consumed), it.currency);
    rows.push({
      itemId: it.id,
      sku: it.sku,
      itemName: it.name,
      category: it.category,
      unit: it.unit,
      warehouseId: wh.id,
      warehouseCode: wh.code,
      warehouseRegion: wh.region,
      issued: milliToQuantity(b.issuedMilli),
      returned: milliToQuantity(b.returnedMilli),
      consumed,
      unitCost: it.costPrice,
      costValue: fromMinorUnits(value, it.currency),
      currency: it.currency,
      workOrders: b.workOrders.size,
    });
  }
  return rows.sort((a, b) => a.sku.localeCompare(b.sku) || a.warehouseCode.localeCompare(b.warehouseCode));
}

export const consumptionColumns: CsvColumn<ConsumptionRow>[] = [
  { key: 'itemId', header: 'item_id' },
  { key: 'sku', header: 'sku' },
  { key: 'itemName', header: 'item_name' },
  { key: 'category', header: 'category' },
  { key: 'unit', header: 'unit' },
  { key: 'warehouseId', header: 'warehouse_id' },
  { key: 'warehouseCode', header: 'warehouse_code' },
  { key: 'warehouseRegion', header: 'warehouse_region' },
  { key: 'issued', header: 'issued', numeric: true },
  { key: 'returned', header: 'returned', numeric: true },
  { key: 'consumed', header: 'consumed', numeric: true },
  { key: 'unitCost', header: 'unit_cost', numeric: true },
  { key: 'costValue', header: 'cost_value', numeric: true },
  { key: 'currency', header: 'currency' },
  { key: 'workOrders', header: 'work_orders', numeric: true },
];
