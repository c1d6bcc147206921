import type { Customer } from '../customers/index.js';
import { toMinorUnits } from '../../shared/money.js';
import { quantityToMilli } from '../../shared/quantity.js';
import type { PricedDocument, PricedLine } from './pricing/index.js';
import type { PriceList } from '../contracts/index.js';
import type { WorkOrderFacts } from './pricing-adapter.js';
import type { NewLineRow } from './repository.js';
import type { BillingAddress } from './schemas.js';
import type { BillingDocumentsTable } from './tables.js';

/**
 * Turns the engine's priced document into stored rows: amounts in minor units, the price lists' real ids
 * (the engine saw their codes), invoice facts the ERP needs (customer, billing address, cost centers,
 * SKUs) copied onto the document so it reads the same when the customer is renamed later.
 */

/** The facts priced, plus the engine list id → price list map the adapter returned. */
export type PricedFacts = WorkOrderFacts & { lists: ReadonlyMap<string, PriceList> };

export type PricedColumns = Pick<
  BillingDocumentsTable,
  | 'document_date'
  | 'currency'
  | 'gross_minor'
  | 'discount_minor'
  | 'covered_minor'
  | 'covered_by_contract_minor'
  | 'covered_by_warranty_minor'
  | 'net_minor'
  | 'zero_amount'
  | 'explanation'
  | 'cap_consumption'
  | 'pricing'
  | 'work_order_completed_at'
  | 'work_order_revision'
  | 'contract_version_id'
  | 'contract_version_no'
>;

export type CustomerColumns = Pick<
  BillingDocumentsTable,
  | 'customer_id'
  | 'customer_code'
  | 'customer_name'
  | 'customer_legal_name'
  | 'customer_tax_id'
  | 'billing_address'
>;

/** The customer's billing site (else the work's site, else its first active site) as an address. */
export function billingAddressOf(customer: Customer, preferredSiteId: string | null): BillingAddress | null {
  const active = customer.sites.filter((s) => s.status === 'active');
  const site =
    active.find((s) => s.isBilling) ?? active.find((s) => s.id === preferredSiteId) ?? active[0] ?? null;
  if (!site) return null;
  return {
    siteId: site.id,
    name: site.name,
    line1: site.line1,
    line2: site.line2,
    city: site.city,
    postalCode: site.postalCode,
    country: site.country,
    region: site.region,
  };
}

export function customerColumns(customer: Customer, preferredSiteId: string | null): CustomerColumns {
  const address = billingAddressOf(customer, preferredSiteId);
  return {
    customer_id: customer.id,
    customer_code: customer.code,
    customer_name: customer.name,
    customer_legal_name: customer.legalName,
    customer_tax_id: customer.taxId,
    billing_address: address ? JSON.stringify(address) : null,
  };
}

const minor = (m: { amount: string; currency: string }) => toMinorUnits(m.amount, m.currency);

function shareSum(line: PricedLine, source: 'contract' | 'warranty'): number {
  return line.coverage.filter((s) => s.source === source).reduce((sum, s) => sum + minor(s.amount), 0);
}

export function pricedColumns(priced: PricedDocument, facts: PricedFacts): PricedColumns {
  const realId = (engineId: string | null) =>
    engineId === null ? null : (facts.lists.get(engineId)?.id ?? engineId);
  return {
    document_date: priced.documentDate,
    currency: priced.currency,
    gross_minor: minor(priced.totals.gross),
    discount_minor: minor(priced.totals.discount),
    covered_minor: minor(priced.totals.covered),
    covered_by_contract_minor: minor(priced.totals.coveredByContract),
    covered_by_warranty_minor: minor(priced.totals.coveredByWarranty),
    net_minor: minor(priced.totals.net),
    zero_amount: priced.zeroAmount ? 1 : 0,
    explanation: JSON.stringify(priced.explanation),
    cap_consumption: JSON.stringify(priced.capConsumption),
    pricing: JSON.stringify({
      engine: priced.engine,
      priceLists: {
        customer: realId(priced.priceLists.customer),
        default: realId(priced.priceLists.default) ?? '',
      },
      warrantyPrecedence: priced.warrantyPrecedence,
    }),
    work_order_completed_at: facts.workOrder.completedAt,
    work_order_revision: facts.workOrder.revision,
    contract_version_id: facts.version?.id ?? null,
    contract_version_no: facts.version?.versionNo ?? null,
  };
}

function lineDescription(line: PricedLine, facts: WorkOrderFacts): string {
  if (line.detail.kind !== 'labor') return line.description;
  // The engine names the asset by id; an invoice reader knows it by its label.
  const assetId = line.detail.assetId;
  const label = assetId ? facts.workOrder.assets.find((a) => a.assetId === assetId)?.label : undefined;
  return `Labor ${line.detail.laborType}${label ? ` on ${label}` : assetId ? ` on asset ${assetId}` : ''}`;
}

export function pricedLineRows(
  priced: PricedDocument,
  facts: PricedFacts,
  documentCostCenter: string | null,
): NewLineRow[] {
  return priced.lines.map((line) => {
    const list = line.priceListId === null ? undefined : facts.lists.get(line.priceListId);
    const detail = line.detail;
    const itemId = detail.kind === 'part' ? detail.itemId : null;
    const assetId = detail.kind === 'fee' ? null : detail.assetId;
    const asset = assetId ? facts.assets.get(assetId) : undefined;
    return {
      line_no: line.lineNo,
      kind: line.kind,
      code: line.code,
      description: lineDescription(line, facts),
      quantity_milli: quantityToMilli(line.quantity),
      unit: line.unit,
      unit_price: line.unitPrice.amount,
      price_list_id: list?.id ?? null,
      price_basis: itemId && list ? (Object.hasOwn(list.items, itemId) ? 'item' : 'category') : null,
      gross_minor: minor(line.grossAmount),
      discount_pct: line.discountPct,
      discount_minor: minor(line.discountAmount),
      covered_pct: line.coveredPct,
      covered_minor: minor(line.coveredAmount),
      covered_by_contract_minor: shareSum(line, 'contract'),
      covered_by_warranty_minor: shareSum(line, 'warranty'),
      net_minor: minor(line.netAmount),
      tax_category: line.taxCategory,
      item_id: itemId,
      sku: detail.kind === 'part' ? detail.sku : null,
      asset_id: assetId,
      cost_center: asset?.costCenter ?? documentCostCenter,
      coverage: JSON.stringify(line.coverage),
      reasons: JSON.stringify(line.reasons),
      detail: JSON.stringify(line.detail),
    };
  });
}
