import type { ApplyContext, ApplyRow } from '../inbound/apply-row.js';
import type { ImportRow } from '../row-validation.js';

/** The natural key of a row, as the domain services will upsert by it. */
export function keyOf(row: ImportRow): string {
  switch (row.kind) {
    case 'customers':
      return row.record.code;
    case 'items':
    case 'stock-levels':
    case 'price-lists':
      return row.record.sku;
    case 'purchase-receipts':
      return `${row.record.receiptRef}/${row.record.line}`;
  }
}

/** An apply callback that records what it was given, per file. */
export function collectingApply(): {
  apply: ApplyRow;
  byFile: Map<string, { row: ImportRow; context: ApplyContext }[]>;
} {
  const byFile = new Map<string, { row: ImportRow; context: ApplyContext }[]>();
  const apply: ApplyRow = async (row, context) => {
    const list = byFile.get(context.fileName) ?? [];
    list.push({ row, context });
    byFile.set(context.fileName, list);
  };
  return { apply, byFile };
}
