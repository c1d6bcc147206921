import { Decimal } from 'decimal.js';
import { getOnHand, postAdjustment, postReceipt } from '../../../../../modules/stock/index.js';
import type { Executor } from '../../../../../platform/outbox/index.js';
import type { PurchaseReceiptImport, StockLevelImport } from '../../../schemas/index.js';
import type { ApplyContext } from '../../../inbound/index.js';
import { itemBySku, warehouseByCode } from './lookups.js';

/**
 * stock-levels rows are absolute counts: the difference to today's on-hand is posted as an adjustment (so
 * the ledger explains the change), none when they already agree, which makes a re-read row harmless.
 */
export async function applyStockLevel(
  db: Executor,
  row: StockLevelImport,
  context: ApplyContext,
): Promise<void> {
  const item = await itemBySku(db, row.sku);
  const warehouse = await warehouseByCode(db, row.location);
  const current = (await getOnHand(db, { itemId: item.id, warehouseId: warehouse.id }))[0]?.quantity ?? '0';
  const delta = new Decimal(row.quantity).minus(current);
  if (delta.isZero()) return;
  const counted = row.countedAt === undefined ? '' : ` counted ${row.countedAt}`;
  await postAdjustment(db, {
    itemId: item.id,
    warehouseId: warehouse.id,
    quantityDelta: delta.toFixed(),
    reason: `stock level import: ${row.quantity}${counted} (${context.fileName} row ${context.rowNumber})`,
    reference: context.fileName.slice(0, 200),
    idempotencyKey: `file-exchange:stock-level:${context.sha256}:${context.rowNumber}`,
    createdBy: 'file-exchange',
  });
}

/** A date alone is read as the start of that day, UTC. */
const instantOf = (value: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;

/**
 * purchase-receipts rows become stock receipts. The idempotency key is the receipt line itself (supplier,
 * receipt, line): the file hash would protect a re-read of one file, the line also protects against the
 * same receipt line arriving again in another file. A changed quantity on a known line is a 422 reject.
 */
export async function applyPurchaseReceipt(db: Executor, row: PurchaseReceiptImport): Promise<void> {
  const item = await itemBySku(db, row.sku);
  const warehouse = await warehouseByCode(db, row.location);
  await postReceipt(db, {
    itemId: item.id,
    warehouseId: warehouse.id,
    quantity: row.quantity,
    reference: `${row.supplierCode}/${row.receiptRef}/${row.line}`.slice(0, 200),
    postedAt: instantOf(row.receivedAt),
    idempotencyKey: `file-exchange:purchase-receipt:${row.supplierCode}:${row.receiptRef}:${row.line}`.slice(
      0,
      200,
    ),
    createdBy: 'file-exchange',
  });
}
