import type { Executor } from '../../platform/outbox/index.js';
import type { Asset } from '../assets/index.js';
import { listAssets, listMeterReadings } from '../assets/index.js';
import type { ContractVersion } from '../contracts/index.js';
import { getContractVersionInForce } from '../contracts/index.js';
import { quantityToMilli } from '../../shared/quantity.js';
import type { Reading } from './meter.js';
import { orNull } from './references.js';

const PAGE = 500;
/** Bounds every paged read: 20 pages of 500. */
const MAX_PAGES = 20;

/** Looks up the contract version in force per day once per generation run. */
export class ContractCalendar {
  private readonly byDate = new Map<string, ContractVersion | null>();
  private readonly assetsByVersion = new Map<string, Asset[]>();

  constructor(
    private readonly executor: Executor,
    private readonly contractId: string,
  ) {}

  async inForce(date: string): Promise<ContractVersion | null> {
    if (!this.byDate.has(date))
      this.byDate.set(
        date,
        await orNull(() => getContractVersionInForce(this.executor, this.contractId, date)),
      );
    return this.byDate.get(date) ?? null;
  }

  /**
   * The live assets a version covers: the assets it lists, else the assets at the sites it lists, else
   * every asset of the customer (a blanket contract).
   */
  async coveredAssets(version: ContractVersion): Promise<Asset[]> {
    const cached = this.assetsByVersion.get(version.id);
    if (cached) return cached;
    let assets: Asset[];
    if (version.coveredAssetIds.length > 0) {
      const wanted = new Set(version.coveredAssetIds);
      assets = (await allAssets(this.executor, { customerId: version.customerId })).filter((a) =>
        wanted.has(a.id),
      );
    } else if (version.coveredSiteIds.length > 0) {
      assets = [];
      for (const siteId of version.coveredSiteIds)
        assets.push(...(await allAssets(this.executor, { customerId: version.customerId, siteId })));
    } else {
      assets = await allAssets(this.executor, { customerId: version.customerId });
    }
    const live = assets.filter((a) => a.status !== 'disposed');
    this.assetsByVersion.set(version.id, live);
    return live;
  }
}

async function allAssets(
  executor: Executor,
  filter: { customerId: string; siteId?: string },
): Promise<Asset[]> {
  const out: Asset[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await listAssets(executor, filter, {
      limit: PAGE,
      ...(afterId !== undefined && { afterId }),
    });
    out.push(...result.data);
    if (!result.nextAfterId) break;
    afterId = result.nextAfterId;
  }
  return out;
}

/** The asset's running-hours history, oldest first. */
export async function meterReadings(executor: Executor, assetId: string): Promise<Reading[]> {
  const out: Reading[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await listMeterReadings(executor, assetId, {
      limit: PAGE,
      ...(afterId !== undefined && { afterId }),
    });
    out.push(
      ...result.data.map((r) => ({
        readingAt: r.readingAt,
        valueMilli: quantityToMilli(r.value),
        meterReplaced: r.meterReplaced,
      })),
    );
    if (!result.nextAfterId) break;
    afterId = result.nextAfterId;
  }
  return out;
}
