import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type { CycleCount, CycleCountListFilter, CycleCountStatus } from './cycle-count.schemas.js';
import type { CycleCountLinesTable, CycleCountsTable } from './tables.js';

export type CycleCountRow = Selectable<CycleCountsTable>;
type LineRow = Selectable<CycleCountLinesTable>;

/** Loads counts with their lines and the adjustments posted for them, in three queries per page. */
export async function hydrateCycleCounts(db: Kysely<Database>, rows: CycleCountRow[]): Promise<CycleCount[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lines, movements] = await Promise.all([
    db
      .selectFrom('cycle_count_lines')
      .selectAll()
      .where('cycle_count_id', 'in', ids)
      .orderBy('cycle_count_id')
      .orderBy('line_no')
      .execute(),
    db
      .selectFrom('stock_movements')
      .select(['id', 'cycle_count_id', 'item_id'])
      .where('cycle_count_id', 'in', ids)
      .orderBy('id')
      .execute(),
  ]);
  const toLine = (line: LineRow) => ({
    lineNo: Number(line.line_no),
    itemId: line.item_id,
    expectedQuantity: milliToQuantity(line.expected_milli),
    countedQuantity: milliToQuantity(line.counted_milli),
    difference: milliToQuantity(Number(line.counted_milli) - Number(line.expected_milli)),
    expectedSerials: JSON.parse(line.expected_serials) as string[],
    countedSerials: JSON.parse(line.counted_serials) as string[],
    movementIds: movements
      .filter((m) => m.cycle_count_id === line.cycle_count_id && m.item_id === line.item_id)
      .map((m) => m.id),
  });
  return rows.map((row) => ({
    id: row.id,
    warehouseId: row.warehouse_id,
    status: row.status as CycleCountStatus,
    countedAt: row.counted_at,
    note: row.note,
    createdBy: row.created_by,
    postedAt: row.posted_at,
    lines: lines.filter((l) => l.cycle_count_id === row.id).map(toLine),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export function findCycleCountRow(db: Kysely<Database>, id: string): Promise<CycleCountRow | undefined> {
  return db.selectFrom('cycle_counts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLines(db: Kysely<Database>, cycleCountId: string): Promise<LineRow[]> {
  return db
    .selectFrom('cycle_count_lines')
    .selectAll()
    .where('cycle_count_id', '=', cycleCountId)
    .orderBy('line_no')
    .execute();
}

export function listCycleCountRows(
  db: Kysely<Database>,
  filter: CycleCountListFilter,
  page: { limit: number; afterId?: string },
): Promise<CycleCountRow[]> {
  let query = db
    .selectFrom('cycle_counts')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.warehouseId) query = query.where('warehouse_id', '=', filter.warehouseId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

/** What the warehouse holds of one item right now: on-hand and, for serial-tracked items, which units. */
export async function snapshotOf(
  db: Kysely<Database>,
  itemId: string,
  warehouseId: string,
): Promise<{ milli: number; serials: string[] }> {
  const level = await db
    .selectFrom('stock_levels')
    .select('quantity_milli')
    .where('item_id', '=', itemId)
    .where('warehouse_id', '=', warehouseId)
    .executeTakeFirst();
  const serials = await db
    .selectFrom('stock_serials')
    .select('serial')
    .where('item_id', '=', itemId)
    .where('warehouse_id', '=', warehouseId)
    .where('status', '=', 'in_stock')
    .orderBy('serial')
    .execute();
  return { milli: Number(level?.quantity_milli ?? 0), serials: serials.map((s) => s.serial) };
}
