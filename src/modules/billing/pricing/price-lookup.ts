import { errors } from '../../../shared/errors/index.js';
import { parseAmount, parseCurrency } from './decimal.js';
import type { Dec } from './decimal.js';
import type { PriceList, PricingInput } from './input-schema.js';

/**
 * Price-list lookup: the customer's own list first, then the default list. A missing price is an error
 * naming the item and every list searched: a silent zero would give work away without anyone noticing.
 */

export interface PriceBook {
  customer: PriceList | null;
  default: PriceList;
  currency: string;
}

export interface ResolvedPrice {
  unitPrice: Dec;
  list: PriceList;
  fromCustomerList: boolean;
}

export function resolvePriceBook(input: PricingInput): PriceBook {
  const fallback = input.priceLists.default;
  const customer = input.priceLists.customer ?? null;
  const currency = parseCurrency(fallback.currency, ['priceLists', 'default', 'currency']);
  if (customer) {
    parseCurrency(customer.currency, ['priceLists', 'customer', 'currency']);
    if (customer.currency !== currency) {
      throw errors.unprocessable(
        `mixed currencies: customer price list ${customer.id} is in ${customer.currency}, default price list ${fallback.id} is in ${currency}`,
        { priceListIds: [customer.id, fallback.id], currencies: [customer.currency, currency] },
      );
    }
    if (customer.customerId && customer.customerId !== input.workOrder.customerId) {
      throw errors.unprocessable(
        `customer price list ${customer.id} belongs to customer ${customer.customerId}, not to ${input.workOrder.customerId}`,
        { priceListId: customer.id, customerId: input.workOrder.customerId },
      );
    }
  }
  return { customer, default: fallback, currency };
}

type Picker = (list: PriceList) => Record<string, string> | string | undefined;

function find(book: PriceBook, pick: Picker, key: string | null, field: string): ResolvedPrice | null {
  const candidates: [PriceList | null, 'customer' | 'default'][] = [
    [book.customer, 'customer'],
    [book.default, 'default'],
  ];
  for (const [list, role] of candidates) {
    if (!list) continue;
    const source = pick(list);
    let raw: string | undefined;
    if (key === null) raw = typeof source === 'string' ? source : undefined;
    else if (typeof source === 'object' && Object.hasOwn(source, key)) raw = source[key];
    if (raw === undefined) continue;
    const path = key === null ? ['priceLists', role, field] : ['priceLists', role, field, key];
    return { unitPrice: parseAmount(raw, path), list, fromCustomerList: role === 'customer' };
  }
  return null;
}

function searched(book: PriceBook): string {
  const fallback = `default price list ${book.default.id}`;
  return book.customer ? `customer price list ${book.customer.id} nor in ${fallback}` : fallback;
}

function listIds(book: PriceBook): string[] {
  return book.customer ? [book.customer.id, book.default.id] : [book.default.id];
}

export function lookupItemPrice(book: PriceBook, itemId: string, sku: string): ResolvedPrice {
  const found = find(book, (l) => l.items, itemId, 'items');
  if (found) return found;
  throw errors.unprocessable(`no price for item ${itemId} (sku ${sku}) in ${searched(book)}`, {
    reason: 'missing_price',
    itemId,
    sku,
    priceListIds: listIds(book),
  });
}

export function lookupLaborRate(book: PriceBook, laborType: string): ResolvedPrice {
  const found = find(book, (l) => l.laborRates, laborType, 'laborRates');
  if (found) return found;
  throw errors.unprocessable(`no labor rate for labor type ${laborType} in ${searched(book)}`, {
    reason: 'missing_price',
    laborType,
    priceListIds: listIds(book),
  });
}

export function lookupFee(book: PriceBook, fee: 'callOutFee' | 'perKmRate'): ResolvedPrice {
  const found = find(book, (l) => l[fee], null, fee);
  if (found) return found;
  const what = fee === 'callOutFee' ? 'call-out fee' : 'per-km travel rate';
  throw errors.unprocessable(`no ${what} in ${searched(book)}`, {
    reason: 'missing_price',
    fee,
    priceListIds: listIds(book),
  });
}
