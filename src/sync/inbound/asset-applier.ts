import type { Asset } from '../../modules/assets/index.js';
import {
  assetValuationSchema,
  findAssetByExternalRef,
  getAsset,
  recordAssetValuation,
  updateAsset,
} from '../../modules/assets/index.js';
import { errors } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';
import { parsePulled } from './applier.js';

const toLocal = (a: Asset): LocalRecord => ({
  id: a.id,
  version: a.version,
  updatedAt: a.updatedAt,
  data: a,
});

const read = readLocal(getAsset, toLocal);

const valuation = ['bookValue', 'accumulatedDepreciation', 'lastDepreciationDate', 'costCenter'] as const;
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
 * `externalRefs.<system>` target (e.g. `externalRefs.tryton` = the Tryton fixed asset id). Assets are
 * created by the API, imports or `asset_purchase`, never from a valuation.
 */
export const assetApplier: InboundApplier = {
  entity: 'asset',
  eventKey: 'asset',
  fields: [...valuation, 'externalRefs'],
  read,
  async findMatch(executor, values) {
    for (const [system, value] of refsOf(values)) {
      const asset = await findAssetByExternalRef(executor, system, value);
      if (asset) return toLocal(asset);
    }
    return undefined;
  },
  create() {
    return Promise.reject(
      errors.validation('assets are not created from pulled valuations: use operation "update"', [
        { path: [], message: 'the asset applier only updates existing assets' },
      ]),
    );
  },
  async update(uow, id, patch, expectedVersion) {
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
    return asset ? toLocal(asset) : toLocal(await getAsset(uow, id));
  },
};
