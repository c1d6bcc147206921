import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { errors, isAppError } from '../../shared/errors/index.js';
import type { Customer } from '../customers/index.js';
import { getCustomer } from '../customers/index.js';
import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import { findAssetRow } from './repository.js';

/**
 * References in a request body that do not resolve are 422s naming the field: the route exists (so not a
 * 404) and the JSON is well-formed (so not a 400), but the content cannot be accepted.
 */
function unresolved(field: string, message: string, details: Record<string, unknown>) {
  return errors.unprocessable(message, details, [{ path: [field], message }]);
}

async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  }
}

/** Archived models stay valid (old equipment keeps being registered); service items are not equipment. */
export async function resolveItem(executor: Executor, itemId: string): Promise<Item> {
  const item = await orNull(() => getItem(executor, itemId));
  if (!item) throw unresolved('itemId', `item ${itemId} does not exist`, { itemId });
  if (item.kind === 'service') {
    throw unresolved('itemId', `item ${itemId} (${item.sku}) is a service, not equipment`, { itemId });
  }
  return item;
}

/** The site must be an active site of that very customer. */
export async function resolvePlace(
  executor: Executor,
  customerId: string,
  siteId: string,
): Promise<Customer> {
  const customer = await orNull(() => getCustomer(executor, customerId));
  if (!customer) throw unresolved('customerId', `customer ${customerId} does not exist`, { customerId });
  if (customer.status === 'archived') {
    throw unresolved('customerId', `customer ${customerId} is archived`, { customerId });
  }
  const site = customer.sites.find((s) => s.id === siteId);
  if (!site) {
    throw unresolved('siteId', `site ${siteId} does not belong to customer ${customerId}`, {
      customerId,
      siteId,
      customerSiteIds: customer.sites.map((s) => s.id),
    });
  }
  if (site.status === 'archived')
    throw unresolved('siteId', `site ${siteId} is archived`, { customerId, siteId });
  return customer;
}

const MAX_DEPTH = 50;

/**
 * A component belongs to a live asset of the same customer, and following parents upward must never lead
 * back to the asset itself.
 */
export async function checkParent(
  db: Kysely<Database>,
  selfId: string | null,
  parentId: string,
  customerId: string,
): Promise<void> {
  const parent = await findAssetRow(db, parentId);
  if (!parent)
    throw unresolved('parentAssetId', `parent asset ${parentId} does not exist`, { parentAssetId: parentId });
  if (parent.status === 'disposed') {
    throw unresolved('parentAssetId', `parent asset ${parentId} is disposed`, { parentAssetId: parentId });
  }
  if (parent.customer_id !== customerId) {
    throw unresolved(
      'parentAssetId',
      `parent asset ${parentId} belongs to customer ${parent.customer_id}, not ${customerId}`,
      {
        parentAssetId: parentId,
        parentCustomerId: parent.customer_id,
      },
    );
  }
  const chain: string[] = selfId === null ? [] : [selfId];
  let current: string | null = parentId;
  for (let depth = 0; current !== null && depth < MAX_DEPTH; depth += 1) {
    chain.push(current);
    if (selfId !== null && current === selfId) {
      throw errors.conflict(`asset ${parentId} cannot be the parent of ${selfId}: that would make a cycle`, {
        assetId: selfId,
        parentAssetId: parentId,
        cycle: chain,
      });
    }
    const row = await findAssetRow(db, current);
    current = row?.parent_asset_id ?? null;
  }
  if (current !== null) {
    throw unresolved('parentAssetId', `component hierarchy would be deeper than ${MAX_DEPTH} levels`, {
      parentAssetId: parentId,
    });
  }
}

/** Lifecycle dates of one asset in their required order; each violation names its field. */
export function checkAssetDates(state: {
  installDate: string | null;
  warrantyPartsUntil: string | null;
  warrantyLaborUntil: string | null;
}): void {
  const install = state.installDate;
  if (!install) return;
  const issues = (['warrantyPartsUntil', 'warrantyLaborUntil'] as const)
    .filter((field) => {
      const until = state[field];
      return until !== null && until < install;
    })
    .map((field) => ({ path: [field], message: `must not be before installDate ${install}` }));
  if (issues.length > 0) {
    throw errors.validation(`warranty ends before the install date ${install}`, issues, {
      installDate: install,
    });
  }
}
