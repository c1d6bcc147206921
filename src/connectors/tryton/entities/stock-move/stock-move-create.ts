import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { dateOf } from '../../runtime/stamps.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { writeTagged } from '../../runtime/tagged-documents.js';
import type { TaggedDocument, TaggedOp } from '../../runtime/tagged-documents.js';
import { lineLocations } from './move-locations.js';
import { stockMovePayloadSchema } from './stock-move-payload.js';
import type { StockMovePayload } from './stock-move-payload.js';

async function buildMoves(
  rt: TrytonRuntime,
  p: TaggedOp<StockMovePayload>,
): Promise<Record<string, unknown>[]> {
  const { payload } = p;
  if (payload.lines.length === 0) return [];
  const products = await rt.resolver.products(payload.lines.map((l) => l.product ?? (l.sku as string)));
  const [company, currency] = await Promise.all([rt.resolver.company(), rt.resolver.companyCurrency()]);
  const moves: Record<string, unknown>[] = [];
  for (const [i, line] of payload.lines.entries()) {
    const ref = line.product ?? (line.sku as string);
    const product = products.get(String(ref));
    if (!product) {
      throw new ConnectorError('validation', `lines[${i}]: unknown Tryton product ${JSON.stringify(ref)}`, {
        vendorDetail: { kind: 'reference', what: 'product', ref, line: i },
      });
    }
    const { from, to } = await lineLocations(rt, payload, line);
    moves.push({
      product: product.id,
      uom: line.uom === undefined ? product.uom : await rt.resolver.uom(line.uom),
      // stock.move.quantity is a Float field in Tryton 6.0; the decimal string was validated (≤ 3 decimals).
      quantity: Number(line.quantity),
      from_location: from,
      to_location: to,
      company,
      // Required for moves from a supplier or to a customer; harmless on internal moves.
      unit_price: line.unitPrice ?? product.costPrice,
      currency,
      ...(payload.date ? { effective_date: dateOf(payload.date), planned_date: dateOf(payload.date) } : {}),
    });
  }
  return moves;
}

const stockMoveDocument: TaggedDocument<StockMovePayload> = {
  entity: 'stock_move',
  model: 'stock.move',
  schema: stockMovePayloadSchema,
  build: buildMoves,
  label: (p) => p.payload.label ?? p.tag,
  button: 'do',
  doneStates: ['done'],
  execute: (rt) => rt.config.stockMoveState === 'done',
};

/**
 * Stock moves done in Tryton: one op = the moves of one Fieldsync event (a work order's parts, a transfer,
 * a scrap...). Created in draft, tagged with the reference, then done, so on-hand changes exactly once.
 */
export function createStockMoves(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  return writeTagged(rt, stockMoveDocument, ops);
}
