import type { Asset } from '../../modules/assets/index.js';
import {
  assetValuationSchema,
  findAssetByExternalRef,
  getAsset,
  purchaseLineUnits,
  purchaseUnitSiblings,
  recordAssetValuation,
  updateAsset,
} from '../../modules/assets/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { parsePulled, readLocal } from './applier.js';

const toLocal = (a: Asset): LocalRecord => ({
  id: a.id,
  version: a.version,
  updatedAt: a.updatedAt,
  data: a,
});

const read = readLocal(getAsset, toLocal);

const valuation = ['bookValue', 'accumulatedDepreciation', 'lastDepreciationDate', 'costCenter'] as const;
/** Where the ERP asset was bought (purchase number, ERP line id: asset_purchase) and how many units it is. */
const purchase = ['purchaseRef', 'purchaseLine', 'units'] as const;
const REF_PREFIX = 'externalRefs.';

/** `externalRefs.<system>` targets of the pulled values, as [system, value] (numbers as text). */
function refsOf(values: Readonly<Record<string, unknown>>): [string, string][] {
  const out: [string, string][] = [];
  for (const [field, value] of Object.entries(values)) {
    if (!field.startsWith(REF_PREFIX)) continue;
    if (typeof value === 'number' || (typeof value === 'string' && value !== ''))
      out.push([field.slice(REF_PREFIX.length), String(value)]);
  }
  return out;
}

/**
 * Assets' accounting side pulled from an ERP (update only): book value, accumulated depreciation, last
 * depreciation date and cost center, through the module's `recordAssetValuation` (a cost center change of
 * a placed asset is a move, see docs/modules/assets.md). The asset is found by crosswalk, else by an
 * `externalRefs.<system>` target (e.g. `externalRefs.tryton` = the Tryton fixed asset id), else by the
 * purchase line it was bought on (`purchaseRef`, `purchaseLine`: the units `asset_purchase` registered),
 * which sets the ref, so bought equipment links itself. Assets are created by the API, imports or
 * `asset_purchase`, never from a valuation.
 */
export const assetApplier: InboundApplier = {
  entity: 'asset',
  eventKey: 'asset',
  fields: [...valuation, ...purchase],
  keyedFields: ['externalRefs'],
  read,
  async findMatch(executor, values) {
    const refs = refsOf(values);
    for (const [system, value] of refs) {
      const asset = await findAssetByExternalRef(executor, system, value);
      if (asset) return toLocal(asset);
    }
    const bought = await firstUnlinkedUnit(executor, values, refs);
    return bought ? toLocal(bought) : undefined;
  },
  create() {
    return Promise.reject(
      errors.validation('assets are not created from pulled valuations: use operation "update"', [
        { path: [], message: 'the asset applier only updates existing assets' },
      ]),
    );
  },
  async update(uow, id, patch, expectedVersion) {
    const asset = await applyValuation(uow, id, patch, expectedVersion);
    for (const sibling of await siblingsSharing(uow, asset, patch)) await applyValuation(uow, sibling, patch);
    return toLocal(asset);
  },
};

/** Valuation fields and external refs of the patch onto one asset, through the module. */
async function applyValuation(
  uow: UnitOfWork,
  id: string,
  patch: Readonly<Record<string, unknown>>,
  expectedVersion?: number,
): Promise<Asset> {
  const values: Record<string, unknown> = {};
  for (const field of valuation) if (field in patch) values[field] = patch[field];
  let asset: Asset | undefined;
  if (Object.keys(values).length > 0) {
    const input = parsePulled(assetValuationSchema, values, 'asset valuation');
    asset = await recordAssetValuation(uow, id, input, expectedVersion);
  }
  const refs = refsOf(patch);
  if (refs.length > 0)
    asset = await updateAsset(
      uow,
      id,
      { externalRefs: Object.fromEntries(refs) },
      asset ? undefined : expectedVersion,
    );
  return asset ?? getAsset(uow, id);
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : undefined;

/**
 * An ERP asset bought on a purchase line Fieldsync registered (asset_purchase) stands for that line's units:
 * the first unit whose asset has no ref in this ERP yet is the match, so the link needs no one.
 */
async function firstUnlinkedUnit(
  executor: Executor,
  values: Readonly<Record<string, unknown>>,
  refs: [string, string][],
): Promise<Asset | undefined> {
  const purchaseRef = textOf(values.purchaseRef);
  const line = textOf(values.purchaseLine);
  const [system] = refs[0] ?? [];
  if (purchaseRef === undefined || line === undefined || system === undefined) return undefined;
  for (const unit of await purchaseLineUnits(executor, purchaseRef, line)) {
    const asset = await getAsset(executor, unit.assetId);
    if (asset.externalRefs[system] === undefined) return asset;
  }
  return undefined;
}

/**
 * The other units of the asset's purchase line that the same ERP asset stands for: an ERP that keeps one
 * asset per purchase line (Tryton: one per supplier invoice line, of quantity n) values its units at once.
 * - A unit follows when it carries the same ref in the pulled system (or, without refs in the patch, in
 *   one of the asset's systems), and no other ref there: a unit linked by hand elsewhere stays.
 * - While a pull links by purchase line (the patch names the line, the asset's own), units without a ref
 *   in that system are linked too, in unit order, until the ERP asset's quantity (`units`) is reached: a
 *   line invoiced in two parts (two ERP assets) shares its units between them.
 * An asset linked by hand to an ERP asset of no purchase line takes no sibling along.
 */
async function siblingsSharing(
  uow: UnitOfWork,
  asset: Asset,
  patch: Readonly<Record<string, unknown>>,
): Promise<string[]> {
  const units = await purchaseUnitSiblings(uow, asset.id);
  const own = units?.find((u) => u.assetId === asset.id);
  if (!units || !own) return [];
  const pulled = refsOf(patch).map(([system]) => system);
  const systems = pulled.length > 0 ? pulled : Object.keys(asset.externalRefs);
  const ref = (a: Asset, system: string) => a.externalRefs[system];
  const line = textOf(patch.purchaseLine);
  const linking =
    pulled.length > 0 &&
    line === own.lineRef &&
    (textOf(patch.purchaseRef) ?? asset.purchaseRef) === own.purchaseRef;
  const others: Asset[] = [];
  for (const unit of units) if (unit.assetId !== asset.id) others.push(await getAsset(uow, unit.assetId));
  const agrees = (other: Asset) =>
    systems.some((s) => ref(asset, s) !== undefined && ref(other, s) === ref(asset, s)) &&
    !systems.some((s) => ref(other, s) !== undefined && ref(other, s) !== ref(asset, s));
  const out = others.filter(agrees).map((o) => o.id);
  const quantity = Number(patch.units);
  let room = linking && Number.isInteger(quantity) ? quantity - 1 - out.length : 0;
  for (const other of others) {
    if (room <= 0) break;
    if (systems.every((s) => ref(other, s) === undefined)) {
      out.push(other.id);
      room -= 1;
    }
  }
  return out;
}
