import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import { getItem } from '../../../modules/items/index.js';
import { getOnHand, listOnHand, listWarehouses, postAdjustment } from '../../../modules/stock/index.js';
import type { Database } from '../../../platform/db/index.js';
import type { UnitOfWork } from '../../../platform/outbox/index.js';
import { errors } from '../../../shared/errors/index.js';
import { lookupExternalIds } from '../../delivery/index.js';
import { getPath } from '../../mapping/index.js';
import { normaliseValue, reconField } from '../field-compare.js';
import { idKey, naturalKey } from '../key-strategy.js';
import type { LocalLoadContext, LocalRecord, ReconDiff, Reconciler, ReconFieldSpec } from '../recon-types.js';

/**
 * Stock per item × location. Keys are `<itemKey>@<locationKey>`: the item part is `id:<erp item id>` from
 * the item crosswalk (else `sku:<sku>`), the location part the warehouse's `erpLocationRef` (else its
 * code). ERP records are `{ item, sku?, location, quantity }`.
 */
const remotePaths = { item: 'item', sku: 'sku', location: 'location' } as const;

async function locationKeys(db: Kysely<Database>, pageSize: number): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  let afterId: string | undefined;
  do {
    const page = await listWarehouses(db, {}, { limit: pageSize, ...(afterId && { afterId }) });
    for (const w of page.data) keys.set(w.id, w.erpLocationRef ?? w.code);
    afterId = page.nextAfterId ?? undefined;
  } while (afterId !== undefined);
  return keys;
}

async function itemKeys(
  db: Kysely<Database>,
  ctx: LocalLoadContext,
  itemIds: string[],
): Promise<Map<string, string>> {
  const linked = await lookupExternalIds(db, ctx.connectorName, ctx.itemEntity, itemIds);
  const keys = new Map<string, string>();
  for (const id of itemIds) {
    const externalId = linked.get(id);
    if (externalId !== undefined) keys.set(id, idKey(externalId));
    else keys.set(id, naturalKey('sku', (await getItem(db, id)).sku) ?? `local:${id}`);
  }
  return keys;
}

async function* loadStock(db: Kysely<Database>, ctx: LocalLoadContext): AsyncIterable<LocalRecord> {
  const locations = await locationKeys(db, ctx.pageSize);
  let after: { itemId: string; warehouseId: string } | undefined;
  do {
    // Zero pairs are included so that an ERP quantity against our 0 is a value difference (correctable).
    const page = await listOnHand(
      db,
      { includeZero: true },
      { limit: ctx.pageSize, ...(after && { after }) },
    );
    const items = await itemKeys(db, ctx, [...new Set(page.data.map((p) => p.itemId))]);
    for (const pair of page.data) {
      const location = locations.get(pair.warehouseId) ?? `local:${pair.warehouseId}`;
      yield {
        key: `${items.get(pair.itemId) ?? `local:${pair.itemId}`}@${location}`,
        localId: `${pair.itemId}@${pair.warehouseId}`,
        externalId: null,
        fields: pair,
      };
    }
    after = page.next ?? undefined;
  } while (after !== undefined);
}

function remoteStockKeys(data: Record<string, unknown>): string[] {
  const location = getPath(data, remotePaths.location);
  const where = typeof location === 'string' || typeof location === 'number' ? String(location).trim() : '';
  if (where === '') return [];
  const keys: string[] = [];
  const item = getPath(data, remotePaths.item);
  if (typeof item === 'string' || typeof item === 'number') keys.push(`${idKey(String(item))}@${where}`);
  const sku = naturalKey('sku', getPath(data, remotePaths.sku));
  if (sku !== null) keys.push(`${sku}@${where}`);
  return keys;
}

const quantityOf = (fields: readonly ReconFieldSpec[]) => fields.find((f) => f.name === 'quantity');

/** A count adjustment that brings our on-hand to the ERP's figure, idempotent per diff. */
async function adjustToErp(uow: UnitOfWork, diff: ReconDiff, ctx: { runId: string }): Promise<string> {
  const [itemId, warehouseId] = (diff.localId ?? '').split('@');
  if (!itemId || !warehouseId || diff.erpValue === null || diff.field !== 'quantity') {
    throw errors.validation(`diff ${diff.id} is not a stock quantity difference`);
  }
  const target = new Decimal(diff.erpValue.trim());
  const [current] = await getOnHand(uow, { itemId, warehouseId, includeZero: true });
  const delta = target.minus(current?.quantity ?? '0');
  if (delta.isZero()) return 'already equal';
  const movement = await postAdjustment(uow, {
    itemId,
    warehouseId,
    quantityDelta: delta.toFixed(),
    reason: `reconciliation ${ctx.runId}: ERP counts ${diff.erpValue}`,
    reference: `recon:${ctx.runId}`,
    idempotencyKey: `recon:${ctx.runId}:${diff.id}`,
    createdBy: 'reconciliation',
  });
  return `stock movement ${movement.id}`;
}

export const stockReconciler: Reconciler = {
  entity: 'stock',
  description: 'On-hand per item × location (inventory accuracy)',
  remoteEntity: 'stock_level',
  defaultFields: [reconField('quantity', { decimal: true })],
  loadLocal: loadStock,
  remoteKeys: (record) => remoteStockKeys(record.data),
  // An ERP without a row for a pair means 0 there, exactly like our level at 0.
  absentMeansEqual: (values, fields) => {
    const spec = quantityOf(fields);
    const index = spec === undefined ? -1 : fields.indexOf(spec);
    return spec !== undefined && normaliseValue(values[index] ?? null, spec) === '0';
  },
  adjustLocal: adjustToErp,
  kpi: { name: 'inventory_accuracy', scope: (connector) => `connector:${connector}` },
};
