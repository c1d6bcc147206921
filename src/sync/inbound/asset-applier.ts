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
/** Where the ERP asset was bought: the purchase number and the ERP's purchase line id (asset_purchase). */
const purchase = ['purchaseRef', 'purchaseLine'] as const;
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
  fields: [...valuation, 'externalRefs', ...purchase],
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
 * asset per purchase line (Tryton: one per supplier invoice line, of quantity n) values all n units at
 * once. A unit follows when it already carries the same ref, or when this pull links by purchase line
 * (the patch names it) and the unit has no ref in that ERP yet. An asset linked by hand to an ERP asset
 * of no purchase line takes its siblings nowhere.
 */
async function siblingsSharing(
  uow: UnitOfWork,
  asset: Asset,
  patch: Readonly<Record<string, unknown>>,
): Promise<string[]> {
  const units = await purchaseUnitSiblings(uow, asset.id);
  if (!units) return [];
  const linkingByLine = textOf(patch.purchaseLine) !== undefined;
  const refs = Object.entries(asset.externalRefs);
  const out: string[] = [];
  for (const unit of units) {
    if (unit.assetId === asset.id) continue;
    const other = await getAsset(uow, unit.assetId);
    const follows = refs.some(
      ([system, value]) =>
        other.externalRefs[system] === value || (linkingByLine && other.externalRefs[system] === undefined),
    );
    if (follows) out.push(other.id);
  }
  return out;
}
