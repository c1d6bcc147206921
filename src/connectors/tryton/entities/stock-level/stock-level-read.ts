import type { ConnectorRecord } from '../../../sdk/connector.js';
import { quantityText, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

/** XML id, else code, else id: the same `ref` the location entity reports (a warehouse's erpLocationRef). */
async function locationRefs(
  rt: TrytonRuntime,
  locations: readonly { id: number; code: string | null }[],
): Promise<Map<number, string>> {
  const xml = await rt.client.searchRead<{ db_id: number; module: string; fs_id: string }>(
    'ir.model.data',
    [
      ['model', '=', 'stock.location'],
      ['db_id', 'in', locations.map((l) => l.id)],
    ],
    { fields: ['db_id', 'module', 'fs_id'] },
  );
  const byId = new Map(xml.map((x) => [x.db_id, `${x.module}.${x.fs_id}`]));
  return new Map(locations.map((l) => [l.id, byId.get(l.id) ?? l.code ?? String(l.id)]));
}

/**
 * On-hand per product × storage location, computed by Tryton (`product.quantity` in the context of one
 * location, children included). Pairs at zero are left out. A snapshot with no change stamp: every record
 * carries the time of the read as modifiedAt, and there is no incremental read.
 */
export async function* readStockLevels(rt: TrytonRuntime): AsyncIterable<ConnectorRecord> {
  const at = new Date().toISOString();
  const locations = await rt.client.searchRead<{ id: number; code: string | null; name: string }>(
    'stock.location',
    [['type', '=', 'storage']],
    { fields: ['code', 'name'], order: [['id', 'ASC']] },
  );
  const refs = await locationRefs(
    rt,
    locations.map((l) => l),
  );
  for (const location of locations) {
    let lastId = 0;
    for (;;) {
      const rows = await rt.client.searchRead<{ id: number; code: string | null; quantity: number }>(
        'product.product',
        [
          ['type', 'in', ['goods', 'assets']],
          ['id', '>', lastId],
        ],
        {
          fields: ['code', 'quantity'],
          order: [['id', 'ASC']],
          limit: rt.config.pageSize,
          context: { locations: [location.id], with_childs: true, active_test: false },
        },
      );
      for (const row of rows) {
        const quantity = quantityText(row.quantity);
        if (quantity === '0') continue;
        yield {
          externalId: `${row.id}@${location.id}`,
          modifiedAt: at,
          data: {
            item: row.id,
            product: row.id,
            sku: text(row.code),
            location: refs.get(location.id) ?? String(location.id),
            locationId: location.id,
            locationCode: location.code,
            locationName: location.name,
            quantity,
          },
        };
      }
      if (rows.length < rt.config.pageSize) break;
      lastId = (rows[rows.length - 1] as { id: number }).id;
    }
  }
}
