import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { fromMinorUnits, toMinorUnits } from '../../shared/money.js';
import { assertVersion } from '../../shared/versioning.js';
import { findItemBy, findItemRow, itemFromRow, listItemRows } from './repository.js';
import type { Item, ItemCreate, ItemListFilter, ItemPatch } from './schemas.js';
import { itemCreateSchema } from './schemas.js';

export const ItemEvents = {
  created: 'item.created',
  updated: 'item.updated',
  archived: 'item.archived',
} as const;
const subjectOf = (id: string) => `item/${id}`;

/** SKU and barcode are unique; a clash names the record that already holds the value. */
async function assertUnique(
  db: Kysely<Database>,
  field: 'sku' | 'barcode',
  value: string | null | undefined,
  selfId?: string,
) {
  if (!value) return;
  const other = await findItemBy(db, field, value);
  if (other && other.id !== selfId) {
    throw errors.conflict(`${field} ${value} is already used by item ${other.id} (${other.sku})`, {
      field,
      conflictingId: other.id,
      conflictingSku: other.sku,
    });
  }
}

function rethrowUnique(error: unknown): never {
  if (isUniqueViolation(error))
    throw errors.conflict('sku or barcode is already used by another item', { field: 'sku' });
  throw error;
}

export async function createItem(executor: Executor, raw: ItemCreate): Promise<Item> {
  const input = itemCreateSchema.parse(raw);
  return inTransaction(executor, async (uow) => {
    await assertUnique(uow.tx, 'sku', input.sku);
    await assertUnique(uow.tx, 'barcode', input.barcode);
    const now = nowIso();
    const row = {
      id: newId(),
      sku: input.sku,
      barcode: input.barcode ?? null,
      name: input.name,
      description: input.description ?? null,
      category: input.category,
      unit: input.unit,
      list_price_minor: toMinorUnits(input.listPrice, input.currency),
      cost_price_minor: toMinorUnits(input.costPrice, input.currency),
      currency: input.currency,
      kind: input.kind,
      serial_tracked: input.serialTracked ? 1 : 0,
      tax_category: input.taxCategory ?? null,
      status: 'active',
      external_refs: JSON.stringify(input.externalRefs ?? {}),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('items').values(row).execute();
    } catch (error) {
      rethrowUnique(error);
    }
    const item = itemFromRow(row);
    await uow.emit({ type: ItemEvents.created, subject: subjectOf(item.id), data: { item } });
    return item;
  });
}

export async function getItem(executor: Executor, id: string): Promise<Item> {
  const row = await findItemRow(queryable(executor), id);
  if (!row) throw errors.notFound('item', id);
  return itemFromRow(row);
}

export async function getItemBySku(executor: Executor, sku: string): Promise<Item | undefined> {
  const row = await findItemBy(queryable(executor), 'sku', sku);
  return row ? itemFromRow(row) : undefined;
}

export async function listItems(
  executor: Executor,
  filter: ItemListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: Item[]; nextAfterId: string | null }> {
  const rows = await listItemRows(queryable(executor), filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(itemFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

const plainColumns = {
  sku: 'sku',
  barcode: 'barcode',
  name: 'name',
  description: 'description',
  category: 'category',
  unit: 'unit',
  kind: 'kind',
  taxCategory: 'tax_category',
} as const;

export async function updateItem(
  executor: Executor,
  id: string,
  patch: ItemPatch,
  expectedVersion?: number,
): Promise<Item> {
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('items').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('item', id);
    assertVersion('item', id, Number(row.version), expectedVersion);
    if (row.status === 'archived') throw errors.conflict(`item ${id} is archived`, { status: row.status });
    if (patch.sku !== undefined) await assertUnique(uow.tx, 'sku', patch.sku, id);
    if (patch.barcode !== undefined) await assertUnique(uow.tx, 'barcode', patch.barcode, id);

    const next: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(plainColumns)) {
      const value = (patch as Record<string, unknown>)[field];
      if (value !== undefined && (row as Record<string, unknown>)[column] !== value) {
        next[column] = value;
        changed.push(field);
      }
    }
    const currency = patch.currency ?? row.currency;
    const listPrice = patch.listPrice ?? fromMinorUnits(row.list_price_minor, row.currency);
    const costPrice = patch.costPrice ?? fromMinorUnits(row.cost_price_minor, row.currency);
    const prices = {
      currency,
      list_price_minor: toMinorUnits(listPrice, currency),
      cost_price_minor: toMinorUnits(costPrice, currency),
    };
    if (prices.currency !== row.currency) changed.push('currency');
    if (prices.list_price_minor !== Number(row.list_price_minor)) changed.push('listPrice');
    if (prices.cost_price_minor !== Number(row.cost_price_minor)) changed.push('costPrice');
    Object.assign(next, prices);
    const serialTracked = patch.serialTracked ?? Number(row.serial_tracked) === 1;
    if (serialTracked !== (Number(row.serial_tracked) === 1)) {
      next.serial_tracked = serialTracked ? 1 : 0;
      changed.push('serialTracked');
    }
    if ((next.kind ?? row.kind) === 'service' && serialTracked) {
      throw errors.validation('service items cannot be serial-tracked', [
        { path: ['serialTracked'], message: 'not allowed for service items' },
      ]);
    }
    if (patch.externalRefs !== undefined) {
      const merged = JSON.stringify({
        ...(JSON.parse(row.external_refs) as Record<string, string>),
        ...patch.externalRefs,
      });
      if (merged !== row.external_refs) {
        next.external_refs = merged;
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return itemFromRow(row);
    try {
      await uow.tx
        .updateTable('items')
        .set({ ...next, version: Number(row.version) + 1, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      rethrowUnique(error);
    }
    const item = await getItem(uow, id);
    await uow.emit({
      type: ItemEvents.updated,
      subject: subjectOf(id),
      data: { item, changedFields: changed },
    });
    return item;
  });
}

export async function archiveItem(executor: Executor, id: string, expectedVersion?: number): Promise<Item> {
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('items').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('item', id);
    assertVersion('item', id, Number(row.version), expectedVersion);
    if (row.status === 'archived') return itemFromRow(row);
    await uow.tx
      .updateTable('items')
      .set({ status: 'archived', version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const item = await getItem(uow, id);
    await uow.emit({
      type: ItemEvents.archived,
      subject: subjectOf(id),
      data: { item, changedFields: ['status'] },
    });
    return item;
  });
}
