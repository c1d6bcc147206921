import type { Executor } from '../../platform/outbox/index.js';
import type { Asset } from '../assets/index.js';
import { getAsset } from '../assets/index.js';
import { getCustomer } from '../customers/index.js';
import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import { orNull, unresolved } from './references.js';

export interface ResolvedPlace {
  customer: { id: string; name: string };
  site: { id: string; label: string; region: string | null } | null;
}

export interface ResolvedAsset {
  assetId: string;
  label: string;
  siteId: string;
}

/** The customer must be active; the site, when given, an active site of that customer. */
export async function resolvePlace(
  executor: Executor,
  customerId: string,
  siteId: string | undefined,
): Promise<ResolvedPlace> {
  const customer = await orNull(() => getCustomer(executor, customerId));
  if (!customer) throw unresolved(['customerId'], `customer ${customerId} does not exist`, { customerId });
  if (customer.status === 'archived')
    throw unresolved(['customerId'], `customer ${customerId} is archived`, { customerId });
  if (siteId === undefined) return { customer: { id: customer.id, name: customer.name }, site: null };
  const site = customer.sites.find((s) => s.id === siteId);
  if (!site) {
    throw unresolved(['siteId'], `site ${siteId} does not belong to customer ${customerId}`, {
      customerId,
      siteId,
      customerSiteIds: customer.sites.map((s) => s.id),
    });
  }
  if (site.status === 'archived') throw unresolved(['siteId'], `site ${siteId} is archived`, { siteId });
  return {
    customer: { id: customer.id, name: customer.name },
    site: { id: site.id, label: `${site.name}, ${site.line1}, ${site.city}`, region: site.region },
  };
}

export function assetLabel(asset: Pick<Asset, 'name' | 'serialNumber'>): string {
  return asset.name ? `${asset.name} (S/N ${asset.serialNumber})` : `S/N ${asset.serialNumber}`;
}

/** Every asset must exist, belong to the customer, and not be disposed of. */
export async function resolveAssets(
  executor: Executor,
  assetIds: readonly string[],
  customerId: string,
): Promise<ResolvedAsset[]> {
  if (new Set(assetIds).size !== assetIds.length)
    throw unresolved(['assetIds'], 'assetIds repeat', { assetIds });
  const resolved: ResolvedAsset[] = [];
  for (const [index, assetId] of assetIds.entries()) {
    const asset = await orNull(() => getAsset(executor, assetId));
    if (!asset) throw unresolved(['assetIds', index], `asset ${assetId} does not exist`, { assetId });
    if (asset.customerId !== customerId) {
      throw unresolved(
        ['assetIds', index],
        `asset ${assetId} belongs to customer ${asset.customerId}, not ${customerId}`,
        {
          assetId,
          assetCustomerId: asset.customerId,
        },
      );
    }
    if (asset.status === 'disposed')
      throw unresolved(['assetIds', index], `asset ${assetId} is disposed`, { assetId });
    resolved.push({ assetId, label: assetLabel(asset), siteId: asset.siteId });
  }
  return resolved;
}

/** A part is a stocked item; service items are billed as labor or fees, never issued from a van. */
export async function resolvePartItem(
  executor: Executor,
  itemId: string,
  path: (string | number)[],
): Promise<Item> {
  const item = await orNull(() => getItem(executor, itemId));
  if (!item) throw unresolved([...path, 'itemId'], `item ${itemId} does not exist`, { itemId });
  if (item.kind === 'service')
    throw unresolved([...path, 'itemId'], `item ${itemId} (${item.sku}) is a service item, not a part`, {
      itemId,
    });
  return item;
}
