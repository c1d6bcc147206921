import type { Executor } from '../../platform/outbox/index.js';
import type { Asset } from '../assets/index.js';
import { getAsset } from '../assets/index.js';
import type { IntervalUnit } from './calendar.js';
import { calendarOccurrences } from './calendar.js';
import { ContractCalendar, meterReadings } from './coverage.js';
import { meterOccurrences } from './meter.js';
import { orNull } from './references.js';
import type { PlanRow } from './repository.js';
import type { GenerateResult } from './schemas.js';

export interface DueItem {
  planId: string;
  assetId: string;
  dueDate: string;
  /** `<assetId>:cal:<date>` or `<assetId>:meter:<hours>h`; unique per plan. */
  dueKey: string;
}

export type Skipped = GenerateResult['skipped'][number];

export interface Window {
  asOf: string;
  until: string;
}

/** What a plan makes due in the window, per asset; pure apart from reading assets, meters and contracts. */
export async function dueItems(
  executor: Executor,
  plan: PlanRow,
  window: Window,
  skipped: Skipped[],
): Promise<DueItem[]> {
  const contracts = plan.contract_id ? new ContractCalendar(executor, plan.contract_id) : null;
  const skip = (assetId: string | null, dueKey: string | null, reason: string) =>
    skipped.push({ planId: plan.id, assetId, dueKey, reason });
  let assets: Asset[] = [];
  if (plan.scope === 'asset') {
    const asset = await orNull(() => getAsset(executor, plan.asset_id ?? ''));
    if (!asset || asset.status === 'disposed') {
      skip(plan.asset_id, null, asset ? 'asset is disposed' : 'asset no longer exists');
      return [];
    }
    assets = [asset];
  }
  const items: DueItem[] = [];
  const push = (assetId: string, dueDate: string, key: string) =>
    items.push({ planId: plan.id, assetId, dueDate, dueKey: `${assetId}:${key}` });

  if (plan.trigger_kind === 'calendar') {
    const dates = calendarOccurrences({
      start: plan.start_date,
      end: plan.end_date,
      every: Number(plan.interval_count ?? 1),
      unit: (plan.interval_unit ?? 'month') as IntervalUnit,
      ...window,
    });
    for (const occurrence of dates) {
      let targets = assets;
      if (plan.scope === 'contract' && contracts) {
        const version = await contracts.inForce(occurrence.dueDate);
        if (!version) {
          skip(null, occurrence.key, `contract not in force on ${occurrence.dueDate}`);
          continue;
        }
        targets = await contracts.coveredAssets(version);
      }
      for (const asset of targets) push(asset.id, occurrence.dueDate, occurrence.key);
    }
    return items;
  }

  if (plan.scope === 'contract' && contracts) {
    const version = await contracts.inForce(window.asOf);
    if (!version) {
      skip(null, null, `contract not in force on ${window.asOf}`);
      return [];
    }
    assets = await contracts.coveredAssets(version);
  }
  for (const asset of assets) {
    const occurrences = meterOccurrences({
      readings: await meterReadings(executor, asset.id),
      intervalMilli: Number(plan.meter_interval_milli ?? 0),
      baselineMilli: plan.meter_start_milli === null ? null : Number(plan.meter_start_milli),
      start: plan.start_date,
      end: plan.end_date,
      ...window,
    });
    for (const occurrence of occurrences) push(asset.id, occurrence.dueDate, occurrence.key);
  }
  return items;
}
