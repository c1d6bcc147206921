import type { ConnectorRecord, ConnectorSession } from '../../src/connectors/sdk/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';

/** A stockable product (goods, unit) with an SKU, list and cost price; returns the variant id. */
export async function createGoods(
  tryton: TrytonHandle,
  sku: string,
  options: { name?: string; listPrice?: string; costPrice?: string; uom?: number; type?: string } = {},
): Promise<number> {
  const client = tryton.client();
  const [template] = await client.create('product.template', [
    {
      name: options.name ?? `Goods ${sku}`,
      type: options.type ?? 'goods',
      default_uom: options.uom ?? tryton.setup.uom.unit,
      list_price: options.listPrice ?? '10.00',
      account_category: tryton.setup.accountCategoryId,
      products: [['create', [{ suffix_code: sku, cost_price: options.costPrice ?? '4.00' }]]],
    },
  ]);
  const [row] = await client.read<{ products: number[] }>(
    'product.template',
    [template as number],
    ['products'],
  );
  return row?.products[0] as number;
}

/** A storage location (a van) under the warehouse, with a code. */
export async function createStorage(tryton: TrytonHandle, code: string): Promise<number> {
  const [id] = await tryton
    .client()
    .create('stock.location', [
      { name: `Van ${code}`, code, type: 'storage', parent: tryton.setup.locations.warehouse },
    ]);
  return id as number;
}

/** Tryton's on-hand of a product at a location (children included), as a number. */
export async function onHand(client: TrytonClient, product: number, location: number): Promise<number> {
  const [row] = await client.read<{ quantity: number }>('stock.location', [location], ['quantity'], {
    context: { product },
  });
  return row?.quantity ?? Number.NaN;
}

export async function collect(iterable: AsyncIterable<ConnectorRecord>): Promise<ConnectorRecord[]> {
  const out: ConnectorRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

/** Every record after `cursor`, paging with readChanges (bounded). */
export async function changesSince<E extends string>(
  session: ConnectorSession<E>,
  entity: E,
  cursor: Parameters<ConnectorSession<E>['readChanges']>[1],
  limit = 50,
): Promise<{ records: ConnectorRecord[]; cursor: Parameters<ConnectorSession<E>['readChanges']>[1] }> {
  const records: ConnectorRecord[] = [];
  let position = cursor;
  for (let page = 0; page < 200; page += 1) {
    const result = await session.readChanges(entity, position, limit);
    records.push(...result.records);
    position = result.nextCursor;
    if (!result.hasMore) return { records, cursor: position };
  }
  throw new Error('paging did not end within 200 pages');
}
