import { Decimal } from 'decimal.js';
import type { ReadSpec, Row } from '../../runtime/reader.js';
import { decimalText, groupBy, id, quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

type Line = {
  id: number;
  asset: number;
  date: string;
  actual_value: string;
  accumulated_depreciation: string;
  move: number | null;
};

/**
 * Fixed assets (`account.asset`) with their book value: the value after the last depreciation actually
 * posted (a line with a move), else the purchase value. Depreciation postings write the asset's lines,
 * not the asset, so the lines' stamps count as the asset's (`childStamps`): a posting brings its asset
 * back in the next incremental read on its own.
 */
export const assetReadSpec: ReadSpec = {
  model: 'account.asset',
  domain: [],
  childStamps: [{ model: 'account.asset.line', parent: 'asset' }],
  fields: [
    'number',
    'product',
    'product.code',
    'state',
    'value',
    'residual_value',
    'depreciated_amount',
    'quantity',
    'start_date',
    'end_date',
    'purchase_date',
    'supplier_invoice_line',
    'analytic_accounts',
  ],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const ids = rows.map((r) => r.id);
    const lines = await rt.client.searchRead<Line>('account.asset.line', [['asset', 'in', ids]], {
      fields: ['asset', 'date', 'actual_value', 'accumulated_depreciation', 'move'],
      order: [['date', 'ASC']],
    });
    const entryIds = rows.flatMap((r) => (r.analytic_accounts as number[] | null) ?? []);
    const entries = new Map(
      entryIds.length === 0
        ? []
        : (
            await rt.client.read<{ id: number } & Record<string, unknown>>(
              'analytic.account.entry',
              entryIds,
              ['account.code'],
            )
          ).map((e) => [e.id, text(related(e, 'account.code'))]),
    );
    const byAsset = groupBy(lines, 'asset');
    const purchaseLines = await purchaseLinesOf(rt, rows);
    return rows.map((row) => {
      const schedule = (byAsset.get(row.id) ?? []) as Line[];
      const posted = schedule.filter((l) => l.move !== null);
      const last = posted[posted.length - 1];
      const value = decimalText(row.value) ?? '0';
      return {
        id: row.id,
        number: text(row.number),
        product: id(row.product),
        sku: text(related(row, 'product.code')),
        state: row.state,
        value,
        residualValue: decimalText(row.residual_value),
        depreciatedAmount: decimalText(row.depreciated_amount),
        quantity: quantityText(row.quantity),
        startDate: text(row.start_date),
        endDate: text(row.end_date),
        purchaseDate: text(row.purchase_date),
        supplierInvoiceLine: id(row.supplier_invoice_line),
        ...unitValues(purchaseLines.get(id(row.supplier_invoice_line) ?? 0), row.quantity, {
          bookValue: last ? new Decimal(last.actual_value) : new Decimal(value),
          accumulatedDepreciation: last ? new Decimal(last.accumulated_depreciation) : new Decimal(0),
        }),
        costCenters: ((row.analytic_accounts as number[] | null) ?? []).map((e) => entries.get(e) ?? null),
        bookValue: last ? new Decimal(last.actual_value).toFixed() : value,
        accumulatedDepreciation: last ? new Decimal(last.accumulated_depreciation).toFixed() : '0',
        lastDepreciationDate: last?.date ?? null,
        scheduledLines: schedule.length,
        postedLines: posted.length,
      };
    });
  },
};

interface PurchaseLineRef {
  purchaseRef: string | null;
  purchaseLine: number;
}

/**
 * The purchase line each asset was bought on: its supplier invoice line's origin (`purchase.line,<id>`, set
 * by the purchase module) and that line's purchase number, which is how Fieldsync registered the units
 * (asset_purchase). Two reads per page, whatever its size.
 */
async function purchaseLinesOf(
  rt: TrytonRuntime,
  rows: readonly Row[],
): Promise<Map<number, PurchaseLineRef>> {
  const invoiceLines = rows.flatMap((r) => {
    const line = id(r.supplier_invoice_line);
    return line === null ? [] : [line];
  });
  if (invoiceLines.length === 0) return new Map();
  const origins = await rt.client.read<{ id: number; origin: unknown }>(
    'account.invoice.line',
    invoiceLines,
    ['origin'],
  );
  const byInvoiceLine = new Map<number, number>();
  for (const o of origins) {
    const match = typeof o.origin === 'string' ? /^purchase\.line,(\d+)$/.exec(o.origin) : null;
    if (match) byInvoiceLine.set(o.id, Number(match[1]));
  }
  if (byInvoiceLine.size === 0) return new Map();
  const purchases = await rt.client.read<{ id: number } & Record<string, unknown>>(
    'purchase.line',
    [...new Set(byInvoiceLine.values())],
    ['purchase.number'],
  );
  const numbers = new Map(purchases.map((p) => [p.id, text(related(p, 'purchase.number'))]));
  return new Map(
    [...byInvoiceLine].map(([invoiceLine, line]) => [
      invoiceLine,
      { purchaseRef: numbers.get(line) ?? null, purchaseLine: line },
    ]),
  );
}

/**
 * Tryton makes one asset per supplier invoice line (unique), so n units bought on one purchase line are
 * one asset of quantity n, while Fieldsync tracks one asset per unit. Each unit's share is the asset's
 * value divided by its quantity (`unitBookValue`, `unitAccumulatedDepreciation`), to 6 decimals (a third of
 * 100.00 is 33.333333: Fieldsync's amounts carry at most 6).
 */
const share = (whole: Decimal, units: Decimal): string =>
  whole.div(units).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();

function unitValues(
  bought: PurchaseLineRef | undefined,
  quantity: unknown,
  whole: { bookValue: Decimal; accumulatedDepreciation: Decimal },
) {
  const units = typeof quantity === 'number' && quantity > 0 ? new Decimal(quantity) : new Decimal(1);
  return {
    purchaseRef: bought?.purchaseRef ?? null,
    purchaseLine: bought?.purchaseLine ?? null,
    unitBookValue: share(whole.bookValue, units),
    unitAccumulatedDepreciation: share(whole.accumulatedDepreciation, units),
  };
}

/** Depreciation lines: posting a depreciation sets the line's move, which moves the line's stamp. */
export const assetDepreciationReadSpec: ReadSpec = {
  model: 'account.asset.line',
  domain: [],
  fields: [
    'asset',
    'asset.number',
    'date',
    'depreciation',
    'accumulated_depreciation',
    'actual_value',
    'acquired_value',
    'move',
  ],
  toData(rows: readonly Row[]) {
    return rows.map((row) => ({
      id: row.id,
      asset: id(row.asset),
      assetNumber: text(related(row, 'asset.number')),
      date: text(row.date),
      depreciation: decimalText(row.depreciation),
      accumulatedDepreciation: decimalText(row.accumulated_depreciation),
      actualValue: decimalText(row.actual_value),
      acquiredValue: decimalText(row.acquired_value),
      posted: row.move !== null && row.move !== undefined,
    }));
  },
};
