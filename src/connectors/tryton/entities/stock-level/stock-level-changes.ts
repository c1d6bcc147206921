import type { ChangePage, ConnectorRecord, Cursor } from '../../../sdk/connector.js';
import { TRYTON_MAX_BATCH } from '../../manifest.js';
import { locationRefs } from '../../runtime/location-refs.js';
import type { ReadSpec } from '../../runtime/reader.js';
import { readChangesWith } from '../../runtime/reader.js';
import { quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

/**
 * Done moves are what changes a stock level: their keyset `(stamp, id)` is the cursor of stock levels.
 * Only the ids, products and storage ends are needed (no tags, no refs per move).
 */
const doneMoves: ReadSpec = {
  model: 'stock.move',
  domain: [['state', '=', 'done']],
  fields: ['product', 'from_location', 'from_location.type', 'to_location', 'to_location.type'],
  toData: (rows) =>
    rows.map((row) => {
      const ends: number[] = [];
      if (related(row, 'from_location.type') === 'storage') ends.push(row.from_location as number);
      if (related(row, 'to_location.type') === 'storage') ends.push(row.to_location as number);
      return { product: row.product as number, ends };
    }),
};

/**
 * Incremental stock levels: the pairs (product × storage location) that a done move touched since the
 * cursor, each with its current on-hand (children included, as `readAll`). A pair's modifiedAt is the
 * stamp of the latest such move in the page; the cursor and `hasMore` are those of the move keyset, so
 * the engine's overlap and dedupe apply unchanged. Pairs at zero are included here (a level that fell to
 * zero is a change), unlike `readAll`.
 *
 * Parent storage locations (the warehouse's storage zone above a van) also change, but are not reported:
 * a Fieldsync warehouse maps to the location its moves name.
 */
export async function readStockLevelChanges(
  rt: TrytonRuntime,
  cursor: Cursor | null,
  limit: number,
): Promise<ChangePage> {
  const page = await readChangesWith(rt, doneMoves, cursor, limit, TRYTON_MAX_BATCH);
  const latest = new Map<string, { product: number; location: number; stamp: string }>();
  for (const record of page.records) {
    const { product, ends } = record.data as { product: number; ends: number[] };
    for (const location of ends) {
      const key = `${product}@${location}`;
      const seen = latest.get(key);
      if (!seen || seen.stamp < record.modifiedAt)
        latest.set(key, { product, location, stamp: record.modifiedAt });
    }
  }
  const byLocation = new Map<number, number[]>();
  for (const pair of latest.values())
    byLocation.set(pair.location, [...(byLocation.get(pair.location) ?? []), pair.product]);
  const locations =
    byLocation.size === 0
      ? []
      : await rt.client.read<{ id: number; code: string | null; name: string }>(
          'stock.location',
          [...byLocation.keys()],
          ['code', 'name'],
        );
  const refs = await locationRefs(rt, locations);
  const records: ConnectorRecord[] = [];
  for (const location of locations) {
    const products = await rt.client.read<{ id: number; code: string | null; quantity: number }>(
      'product.product',
      byLocation.get(location.id) ?? [],
      ['code', 'quantity'],
      { context: { locations: [location.id], with_childs: true, active_test: false } },
    );
    for (const row of products) {
      const pair = latest.get(`${row.id}@${location.id}`);
      records.push({
        externalId: `${row.id}@${location.id}`,
        modifiedAt: pair?.stamp ?? page.nextCursor?.modifiedAt ?? new Date().toISOString(),
        data: {
          item: row.id,
          product: row.id,
          sku: text(row.code),
          location: refs.get(location.id) ?? String(location.id),
          locationId: location.id,
          locationCode: location.code,
          locationName: location.name,
          quantity: quantityText(row.quantity),
        },
      });
    }
  }
  records.sort((a, b) => (a.modifiedAt < b.modifiedAt ? -1 : a.modifiedAt > b.modifiedAt ? 1 : 0));
  return { records, nextCursor: page.nextCursor, hasMore: page.hasMore };
}
