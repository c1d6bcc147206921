import type { ChangePage, ConnectorRecord, Cursor } from '../../../sdk/connector.js';
import { TRYTON_MAX_BATCH } from '../../manifest.js';
import { locationRefs } from '../../runtime/location-refs.js';
import type { ReadSpec } from '../../runtime/reader.js';
import { readChangesWith } from '../../runtime/reader.js';
import { quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { latestReceiptStamp } from './receipts-as-of.js';

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

type LevelRow = { id: number; code: string | null; quantity: number };

/** Reads of the quantities tried before a level is given the earlier as-of (receipts kept arriving). */
const AS_OF_ATTEMPTS = 3;

/**
 * The on-hand of the given products per location, and the as-of of that read: the latest receipt stamp
 * into those locations, equal before and after the quantities were read, so every receipt stamped at or
 * before it is in them and none after it. While receipts keep landing in between, the read is repeated;
 * after the last try the earlier stamp is kept (a receipt in that gap is then counted once by the level
 * and once as a receipt, until the next level read of the pair).
 */
async function readLevelsAsOf(
  rt: TrytonRuntime,
  byLocation: ReadonlyMap<number, number[]>,
): Promise<{ levels: Map<number, LevelRow[]>; asOf: string | null }> {
  const ids = [...byLocation.keys()];
  let before = await latestReceiptStamp(rt, ids);
  for (let attempt = 1; ; attempt += 1) {
    const levels = new Map<number, LevelRow[]>();
    for (const [location, products] of byLocation) {
      const rows = await rt.client.read<LevelRow>('product.product', products, ['code', 'quantity'], {
        context: { locations: [location], with_childs: true, active_test: false },
      });
      levels.set(location, rows);
    }
    const after = await latestReceiptStamp(rt, ids);
    if (after === before || attempt >= AS_OF_ATTEMPTS) return { levels, asOf: before };
    before = after;
  }
}

/**
 * Incremental stock levels: the pairs (product × storage location) that a done move touched since the
 * cursor, each with its current on-hand (children included, as `readAll`). A pair's modifiedAt is the
 * stamp of the latest such move in the page; the cursor and `hasMore` are those of the move keyset, so
 * the engine's overlap and dedupe apply unchanged. Pairs at zero are included here (a level that fell to
 * zero is a change), unlike `readAll`.
 *
 * Parent storage locations (the warehouse's storage zone above a van) also change, but are not reported:
 * a Fieldsync warehouse maps to the location its moves name.
 *
 * Each record also carries `erpLevel: { quantity, asOf }`, the level with the receipt stamp it was read
 * as of (`readLevelsAsOf`), so Fieldsync can run the receipt pull beside this one.
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
  const { levels, asOf } = await readLevelsAsOf(rt, byLocation);
  const records: ConnectorRecord[] = [];
  for (const location of locations) {
    for (const row of levels.get(location.id) ?? []) {
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
          erpLevel: { quantity: quantityText(row.quantity), asOf },
        },
      });
    }
  }
  records.sort((a, b) => (a.modifiedAt < b.modifiedAt ? -1 : a.modifiedAt > b.modifiedAt ? 1 : 0));
  return { records, nextCursor: page.nextCursor, hasMore: page.hasMore };
}
