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

export interface TagAttachment {
  id: number;
  name: string;
  resource: string;
  /** The records this attachment tags with the reference. */
  ids: number[];
  /** The op's label (batch marks); the attachment's name for a per-op attachment. */
  label: string;
}

/**
 * The attachments tagging records of `model` for one op, found by its reference or its label (e.g. a
 * work-order number), read straight from Tryton (not through the connector): batch marks (`link`
 * fieldsync-tags, one description line `<tag> TAB <ids> TAB <label>` per op) and per-op ones written
 * before them (`link` = the tag, name = the label, ids in the description or the resource). One entry per
 * op tagged, so a duplicate delivery shows as a second entry. Test references and labels hold no tab,
 * line break or backslash, so the lines need no unescaping here.
 */
export async function tagAttachments(
  client: TrytonClient,
  model: string,
  by: string | { label: string },
): Promise<TagAttachment[]> {
  const tag = typeof by === 'string' ? `fieldsync:${by}` : undefined;
  const label = typeof by === 'string' ? undefined : by.label;
  const rows = await client.searchRead<{
    id: number;
    name: string;
    link: string;
    resource: string;
    description: string | null;
  }>(
    'ir.attachment',
    [
      ['resource', 'like', `${model},%`],
      tag === undefined
        ? ['OR', ['name', '=', label], ['description', 'like', `%\t${label}%`]]
        : ['OR', ['link', '=', tag], ['description', 'like', `%${tag}\t%`]],
    ],
    { fields: ['name', 'link', 'resource', 'description'], order: [['id', 'ASC']] },
  );
  return rows.flatMap((row) => {
    const base = { id: row.id, name: row.name, resource: row.resource };
    if (row.link !== 'fieldsync-tags') {
      if (tag === undefined ? row.name !== label : row.link !== tag) return [];
      const ids = (row.description ?? row.resource.split(',')[1] ?? '').split(',').map(Number);
      return [{ ...base, ids, label: row.name }];
    }
    return (row.description ?? '')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([lineTag, , lineLabel]) => (tag === undefined ? lineLabel === label : lineTag === tag))
      .map(([, ids, lineLabel]) => ({
        ...base,
        ids: (ids ?? '').split(',').map(Number),
        label: lineLabel ?? '',
      }));
  });
}

/** Every JSON-RPC call `client` sends from now on (method and params), for counting calls. */
export function recordCalls(client: TrytonClient): { method: string; params: readonly unknown[] }[] {
  const calls: { method: string; params: readonly unknown[] }[] = [];
  const call = client.call.bind(client);
  client.call = ((method: string, params: readonly unknown[], options) => {
    calls.push({ method, params });
    return call(method, params, options);
  }) as TrytonClient['call'];
  return calls;
}
