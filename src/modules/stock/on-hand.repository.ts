import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { OnHandFilter, SerialListFilter } from './movement.schemas.js';

export interface OnHandRow {
  item_id: string;
  warehouse_id: string;
  quantity_milli: number | string;
}

/** Current on-hand from the maintained levels table: one indexed read, no aggregation. */
export function selectLevels(
  db: Kysely<Database>,
  filter: OnHandFilter,
  page?: { limit: number; after?: { itemId: string; warehouseId: string } },
): Promise<OnHandRow[]> {
  let query = db
    .selectFrom('stock_levels as l')
    .select(['l.item_id', 'l.warehouse_id', 'l.quantity_milli'])
    .orderBy('l.item_id')
    .orderBy('l.warehouse_id');
  if (filter.itemId) query = query.where('l.item_id', '=', filter.itemId);
  if (filter.warehouseId) query = query.where('l.warehouse_id', '=', filter.warehouseId);
  if (filter.region) {
    const region = filter.region;
    query = query.where('l.warehouse_id', 'in', (eb) =>
      eb.selectFrom('warehouses').select('id').where('region', '=', region),
    );
  }
  if (!filter.includeZero) query = query.where('l.quantity_milli', '<>', 0);
  if (page) {
    query = query.limit(page.limit + 1);
    const after = page.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('l.item_id', '>', after.itemId),
          eb.and([eb('l.item_id', '=', after.itemId), eb('l.warehouse_id', '>', after.warehouseId)]),
        ]),
      );
    }
  }
  return query.execute();
}

/** On-hand derived from the ledger alone: SUM of signed quantities per item × warehouse. */
export function sumLedger(db: Kysely<Database>, filter: OnHandFilter): Promise<OnHandRow[]> {
  let query = db
    .selectFrom('stock_movements as m')
    .select([
      'm.item_id',
      'm.warehouse_id',
      (eb) => eb.fn.sum<number | string>('m.quantity_milli').as('quantity_milli'),
    ])
    .groupBy(['m.item_id', 'm.warehouse_id'])
    .orderBy('m.item_id')
    .orderBy('m.warehouse_id');
  if (filter.itemId) query = query.where('m.item_id', '=', filter.itemId);
  if (filter.warehouseId) query = query.where('m.warehouse_id', '=', filter.warehouseId);
  if (filter.region) {
    const region = filter.region;
    query = query.where('m.warehouse_id', 'in', (eb) =>
      eb.selectFrom('warehouses').select('id').where('region', '=', region),
    );
  }
  if (!filter.includeZero) query = query.having((eb) => eb.fn.sum('m.quantity_milli'), '<>', 0);
  return query.execute();
}

export interface LevelMismatchRow {
  item_id: string;
  warehouse_id: string;
  level_milli: number | string | null;
  ledger_milli: number | string;
}

/**
 * Every pair where the levels table and the ledger disagree, a pair missing on either side counting as zero.
 * PostgreSQL: one FULL OUTER JOIN (hash or merge join). SQLite runs that join against an aggregate as a
 * nested loop, so there it is two index-driven halves: each level against its ledger sum (covering index),
 * then ledger pairs without a level row.
 */
export async function findLevelMismatches(db: Kysely<Database>): Promise<LevelMismatchRow[]> {
  if (engineOf(db) === 'postgres') {
    const joined = await sql<LevelMismatchRow>`
      select coalesce(l.item_id, s.item_id) as item_id, coalesce(l.warehouse_id, s.warehouse_id) as warehouse_id,
             l.quantity_milli as level_milli, coalesce(s.total, 0) as ledger_milli
        from stock_levels l
        full outer join (select item_id, warehouse_id, sum(quantity_milli) as total
                           from stock_movements group by item_id, warehouse_id) s
          on s.item_id = l.item_id and s.warehouse_id = l.warehouse_id
       where coalesce(s.total, 0) <> coalesce(l.quantity_milli, 0)`.execute(db);
    return joined.rows;
  }
  const halves = await sql<LevelMismatchRow>`
    select x.item_id, x.warehouse_id, x.level_milli, x.ledger_milli
      from (select l.item_id, l.warehouse_id, l.quantity_milli as level_milli,
                   coalesce((select sum(m.quantity_milli) from stock_movements m
                              where m.item_id = l.item_id and m.warehouse_id = l.warehouse_id), 0) as ledger_milli
              from stock_levels l) x
     where x.ledger_milli <> x.level_milli
    union all
    select m.item_id, m.warehouse_id, null as level_milli, sum(m.quantity_milli) as ledger_milli
      from stock_movements m
     where not exists (select 1 from stock_levels l where l.item_id = m.item_id and l.warehouse_id = m.warehouse_id)
     group by m.item_id, m.warehouse_id
    having sum(m.quantity_milli) <> 0`.execute(db);
  return halves.rows;
}

export interface SerialMismatchRow {
  item_id: string;
  warehouse_id: string;
  in_stock: number | string;
  level_milli: number | string | null;
}

/**
 * For items that have serial rows: the units in stock per warehouse must equal on-hand (in whole units),
 * both where serials sit and where the level says stock is but no serial is.
 */
export async function findSerialMismatches(db: Kysely<Database>): Promise<SerialMismatchRow[]> {
  const result = await sql<SerialMismatchRow>`
    select s.item_id, s.warehouse_id, count(*) as in_stock, max(l.quantity_milli) as level_milli
      from stock_serials s left join stock_levels l on l.item_id = s.item_id and l.warehouse_id = s.warehouse_id
     where s.status = 'in_stock'
     group by s.item_id, s.warehouse_id
    having count(*) * 1000 <> coalesce(max(l.quantity_milli), 0)
    union all
    select l.item_id, l.warehouse_id, 0 as in_stock, l.quantity_milli as level_milli
      from stock_levels l
     where l.quantity_milli <> 0
       and exists (select 1 from stock_serials a where a.item_id = l.item_id)
       and not exists (select 1 from stock_serials b
                        where b.item_id = l.item_id and b.warehouse_id = l.warehouse_id and b.status = 'in_stock')`.execute(
    db,
  );
  return result.rows;
}

export function listSerialRows(
  db: Kysely<Database>,
  filter: SerialListFilter,
  page: { limit: number; after?: { itemId: string; serial: string } },
) {
  let query = db
    .selectFrom('stock_serials')
    .selectAll()
    .orderBy('item_id')
    .orderBy('serial')
    .limit(page.limit + 1);
  if (filter.itemId) query = query.where('item_id', '=', filter.itemId);
  if (filter.warehouseId) query = query.where('warehouse_id', '=', filter.warehouseId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.serial) query = query.where('serial', '=', filter.serial);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('item_id', '>', after.itemId),
        eb.and([eb('item_id', '=', after.itemId), eb('serial', '>', after.serial)]),
      ]),
    );
  }
  return query.execute();
}
