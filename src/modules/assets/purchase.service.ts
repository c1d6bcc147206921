import { Decimal } from 'decimal.js';
import type { Kysely, Selectable } from 'kysely';
import { getItemBySku } from '../items/index.js';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { parseInput } from '../../shared/parse-input.js';
import { assertVersion } from '../../shared/versioning.js';
import { createAsset } from './asset.service.js';
import { resolvePlace } from './references.js';
import type { AssetPurchase, AssetPurchaseInput } from './schemas.js';
import { assetPurchaseInputSchema, initialAssetStatuses } from './schemas.js';
import type { AssetPurchasesTable } from './tables.js';

/**
 * Equipment bought on a purchase order (docs/modules/assets.md, "Equipment on order"). A purchase is kept
 * as Fieldsync knows it (`asset_purchases`, one row per purchase number) and every unit of every line is
 * one asset, linked in `asset_purchase_units` by (purchase, line, unit number). Registering a purchase
 * creates the assets of the units that have none yet, so registering it again changes nothing and a line
 * whose quantity grew only adds the new units. Units are never removed: a lower quantity (or a removed
 * line) leaves the assets already created, which are real records by then (dispose of them if needed).
 */

/** A line can hold this many units; more is a typing error in the ERP, not equipment to install. */
export const MAX_UNITS_PER_LINE = 1000;

type Parsed = ReturnType<typeof parse>;
const parse = (raw: AssetPurchaseInput) => parseInput(assetPurchaseInputSchema, raw);

type PurchaseRow = Selectable<AssetPurchasesTable>;

function lineRef(line: Parsed['lines'][number], index: number): string {
  return line.lineId !== undefined ? String(line.lineId) : `${line.sku}#${index + 1}`;
}

/** Units of a line: a whole, non-negative number (a fraction of a pump is bad data). */
function unitsOf(line: Parsed['lines'][number], index: number): number {
  const text = typeof line.quantity === 'number' ? String(line.quantity) : line.quantity.trim();
  let quantity: Decimal;
  try {
    quantity = new Decimal(text);
  } catch {
    quantity = new Decimal(NaN);
  }
  if (
    !quantity.isFinite() ||
    !quantity.isInteger() ||
    quantity.isNegative() ||
    quantity.gt(MAX_UNITS_PER_LINE)
  )
    throw errors.validation(
      `lines.${index}.quantity: a whole number of units from 0 to ${MAX_UNITS_PER_LINE}, got ${text}`,
      [{ path: ['lines', index, 'quantity'], message: `a whole number of units (0-${MAX_UNITS_PER_LINE})` }],
    );
  return quantity.toNumber();
}

async function toPurchase(db: Kysely<Database>, row: PurchaseRow): Promise<AssetPurchase> {
  const units = await db
    .selectFrom('asset_purchase_units')
    .select(['line_ref', 'unit_no', 'asset_id'])
    .where('purchase_id', '=', row.id)
    .orderBy('line_ref')
    .orderBy('unit_no')
    .execute();
  const status = initialAssetStatuses.find((s) => s === row.initial_status) ?? 'ordered';
  return {
    id: row.id,
    purchaseRef: row.purchase_ref,
    supplierReference: row.supplier_reference,
    purchaseDate: row.purchase_date,
    customerId: row.customer_id,
    siteId: row.site_id,
    costCenter: row.cost_center,
    status,
    lines: JSON.parse(row.lines) as Record<string, unknown>[],
    units: units.map((u) => ({ lineRef: u.line_ref, unitNo: Number(u.unit_no), assetId: u.asset_id })),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function issueUnits(uow: UnitOfWork, row: PurchaseRow, input: Parsed): Promise<number> {
  const existing = await uow.tx
    .selectFrom('asset_purchase_units')
    .select(['line_ref', 'unit_no'])
    .where('purchase_id', '=', row.id)
    .execute();
  const have = new Set(existing.map((u) => `${u.line_ref}\u0000${Number(u.unit_no)}`));
  const refs = input.lines.map(lineRef);
  const dup = refs.find((r, i) => refs.indexOf(r) !== i);
  if (dup !== undefined)
    throw errors.validation(`purchase ${input.purchaseRef} has two lines ${dup}`, [
      { path: ['lines'], message: `line ${dup} appears twice` },
    ]);
  const plans = input.lines.map((line, index) => ({
    line,
    ref: lineRef(line, index),
    units: unitsOf(line, index),
  }));
  let created = 0;
  for (const { line, ref, units } of plans) {
    if (units === 0) continue;
    const missing: number[] = [];
    for (let n = 1; n <= units; n += 1) if (!have.has(`${ref}\u0000${n}`)) missing.push(n);
    if (missing.length === 0) continue;
    const item = await getItemBySku(uow, line.sku);
    // Pulled before its item: a pull error of this purchase, retried once the item exists.
    if (!item) throw errors.notFound('item', line.sku);
    const name = typeof line.name === 'string' && line.name.trim() !== '' ? line.name.trim() : undefined;
    for (const n of missing) {
      const asset = await createAsset(uow, {
        serialNumber: `${row.purchase_ref}/${ref}/${n}`.slice(0, 100),
        itemId: item.id,
        ...(name && { name }),
        customerId: row.customer_id,
        siteId: row.site_id,
        ...(row.cost_center !== null && { costCenter: row.cost_center }),
        status: input.status,
        ...(row.purchase_date !== null && { purchaseDate: row.purchase_date }),
        purchaseRef: row.purchase_ref,
        notes:
          `Unit ${n} of ${units}, line ${ref} of purchase ${row.purchase_ref}` +
          (row.supplier_reference ? ` (supplier reference ${row.supplier_reference})` : '') +
          '; serial number to be confirmed at installation',
      });
      await uow.tx
        .insertInto('asset_purchase_units')
        .values({ purchase_id: row.id, line_ref: ref, unit_no: n, asset_id: asset.id, recorded_at: nowIso() })
        .execute();
      created += 1;
    }
  }
  return created;
}

export function findAssetPurchaseRow(db: Kysely<Database>, purchaseRef: string) {
  return db
    .selectFrom('asset_purchases')
    .selectAll()
    .where('purchase_ref', '=', purchaseRef)
    .executeTakeFirst();
}

export async function getAssetPurchase(executor: Executor, id: string): Promise<AssetPurchase> {
  const db = queryable(executor);
  const row = await db.selectFrom('asset_purchases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('asset_purchase', id);
  return toPurchase(db, row);
}

export async function findAssetPurchase(
  executor: Executor,
  purchaseRef: string,
): Promise<AssetPurchase | undefined> {
  const db = queryable(executor);
  const row = await findAssetPurchaseRow(db, purchaseRef);
  return row ? toPurchase(db, row) : undefined;
}

/** Registers a new purchase and creates one asset per unit (each emits `asset.created`). */
export async function createAssetPurchase(
  executor: Executor,
  raw: AssetPurchaseInput,
): Promise<AssetPurchase> {
  const input = parse(raw);
  return inTransaction(executor, async (uow) => {
    if (await findAssetPurchaseRow(uow.tx, input.purchaseRef))
      throw errors.conflict(`purchase ${input.purchaseRef} is already registered`, {
        field: 'purchaseRef',
      });
    await resolvePlace(uow, input.customerId, input.siteId);
    const now = nowIso();
    const row: PurchaseRow = {
      id: newId(),
      purchase_ref: input.purchaseRef,
      supplier_reference: input.supplierReference ?? null,
      purchase_date: input.purchaseDate ?? null,
      customer_id: input.customerId,
      site_id: input.siteId,
      cost_center: input.costCenter ?? null,
      initial_status: input.status,
      lines: JSON.stringify(input.lines),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await uow.tx.insertInto('asset_purchases').values(row).execute();
    await issueUnits(uow, row, input);
    return toPurchase(uow.tx, row);
  });
}

/**
 * Replaces what Fieldsync knows of a purchase (`raw` is the whole purchase) and creates the assets of the
 * units that have none yet. Where new units go (customer, site, cost center, status) applies to new units
 * only: assets already created change through their own functions (moves, transitions).
 */
export async function updateAssetPurchase(
  executor: Executor,
  id: string,
  raw: AssetPurchaseInput,
  expectedVersion?: number,
): Promise<AssetPurchase> {
  const input = parse(raw);
  return inTransaction(executor, async (uow) => {
    const current = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('asset_purchases').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!current) throw errors.notFound('asset_purchase', id);
    assertVersion('asset_purchase', id, Number(current.version), expectedVersion);
    if (input.purchaseRef !== current.purchase_ref) {
      const other = await findAssetPurchaseRow(uow.tx, input.purchaseRef);
      if (other)
        throw errors.conflict(`purchase ${input.purchaseRef} is already registered`, {
          field: 'purchaseRef',
        });
    }
    if (input.customerId !== current.customer_id || input.siteId !== current.site_id)
      await resolvePlace(uow, input.customerId, input.siteId);
    const next: PurchaseRow = {
      ...current,
      purchase_ref: input.purchaseRef,
      supplier_reference: input.supplierReference ?? null,
      purchase_date: input.purchaseDate ?? null,
      customer_id: input.customerId,
      site_id: input.siteId,
      cost_center: input.costCenter ?? null,
      initial_status: input.status,
      lines: JSON.stringify(input.lines),
    };
    const headerChanged = (Object.keys(next) as (keyof PurchaseRow)[]).some((k) => next[k] !== current[k]);
    const created = await issueUnits(uow, next, input);
    if (!headerChanged && created === 0) return toPurchase(uow.tx, current);
    const updated = { ...next, version: Number(current.version) + 1, updated_at: nowIso() };
    await uow.tx
      .updateTable('asset_purchases')
      .set({
        purchase_ref: updated.purchase_ref,
        supplier_reference: updated.supplier_reference,
        purchase_date: updated.purchase_date,
        customer_id: updated.customer_id,
        site_id: updated.site_id,
        cost_center: updated.cost_center,
        initial_status: updated.initial_status,
        lines: updated.lines,
        version: updated.version,
        updated_at: updated.updated_at,
      })
      .where('id', '=', id)
      .execute();
    return toPurchase(uow.tx, updated);
  });
}
