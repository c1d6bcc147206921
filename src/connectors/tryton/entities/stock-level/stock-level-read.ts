import type { ConnectorRecord } from '../../../sdk/connector.js';
import { quantityText, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { locationRefs } from '../../runtime/location-refs.js';

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
