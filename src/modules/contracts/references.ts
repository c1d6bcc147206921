import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors, isAppError } from '../../shared/errors/index.js';
import type { Asset } from '../assets/index.js';
import { getAsset } from '../assets/index.js';
import type { Customer } from '../customers/index.js';
import { getCustomer } from '../customers/index.js';
import { getItem } from '../items/index.js';

/**
 * References in a body that do not resolve are 422s naming the field (the route exists and the JSON is
 * well-formed, but the content cannot be accepted).
 */
export function unresolved(path: (string | number)[], message: string, details: Record<string, unknown>) {
  return errors.unprocessable(message, details, [{ path, message }]);
}

export async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  }
}

export async function resolveCustomer(
  executor: Executor,
  customerId: string,
  path: string[] = ['customerId'],
): Promise<Customer> {
  const customer = await orNull(() => getCustomer(executor, customerId));
  if (!customer) throw unresolved(path, `customer ${customerId} does not exist`, { customerId });
  if (customer.status === 'archived')
    throw unresolved(path, `customer ${customerId} is archived`, { customerId });
  return customer;
}

/** A contract can only name the customer's own sites and equipment. */
export async function checkCoveredRefs(
  executor: Executor,
  customer: Customer,
  refs: { coveredAssetIds: string[]; coveredSiteIds: string[] },
  prefix: string[],
): Promise<void> {
  const siteIds = new Set(customer.sites.map((s) => s.id));
  refs.coveredSiteIds.forEach((siteId, index) => {
    if (!siteIds.has(siteId)) {
      throw unresolved(
        [...prefix, 'coveredSiteIds', index],
        `site ${siteId} does not belong to customer ${customer.id}`,
        {
          siteId,
          customerId: customer.id,
        },
      );
    }
  });
  for (const [index, assetId] of refs.coveredAssetIds.entries()) {
    const asset: Asset | null = await orNull(() => getAsset(executor, assetId));
    const path = [...prefix, 'coveredAssetIds', index];
    if (!asset) throw unresolved(path, `asset ${assetId} does not exist`, { assetId });
    if (asset.customerId !== customer.id) {
      throw unresolved(path, `asset ${assetId} belongs to customer ${asset.customerId}, not ${customer.id}`, {
        assetId,
        assetCustomerId: asset.customerId,
      });
    }
  }
}

/** The contract's price list must exist, be in the contract currency, and not be another customer's. */
export async function checkPriceListRef(
  executor: Executor,
  priceListId: string,
  contract: { customerId: string; currency: string },
  path: string[],
): Promise<void> {
  const list = await queryable(executor)
    .selectFrom('price_lists')
    .select(['id', 'currency', 'customer_id'])
    .where('id', '=', priceListId)
    .executeTakeFirst();
  if (!list) throw unresolved(path, `price list ${priceListId} does not exist`, { priceListId });
  if (list.currency !== contract.currency) {
    throw unresolved(
      path,
      `price list ${priceListId} is in ${list.currency}, the contract in ${contract.currency}`,
      {
        priceListId,
        priceListCurrency: list.currency,
        contractCurrency: contract.currency,
      },
    );
  }
  if (list.customer_id !== null && list.customer_id !== contract.customerId) {
    throw unresolved(path, `price list ${priceListId} belongs to customer ${list.customer_id}`, {
      priceListId,
      priceListCustomerId: list.customer_id,
    });
  }
}

/** Every item a price list prices must exist; the 422 lists the first unknown ones. */
export async function checkItemRefs(executor: Executor, itemIds: string[]): Promise<void> {
  const unknown: string[] = [];
  for (const itemId of itemIds) {
    if (!(await orNull(() => getItem(executor, itemId)))) unknown.push(itemId);
    if (unknown.length >= 20) break;
  }
  if (unknown.length > 0) {
    throw errors.unprocessable(
      `price list names unknown item(s): ${unknown.join(', ')}`,
      { unknownItemIds: unknown },
      unknown.map((id) => ({ path: ['items', id], message: 'unknown item' })),
    );
  }
}
