import { Decimal } from 'decimal.js';
import { summarizeBilling } from '../billing/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { currencyExponent } from '../../shared/money.js';
import type { CsvColumn } from './csv.js';
import { assertPeriod } from './period.js';
import type { ReportFilter, ServiceRevenueRow } from './schemas.js';

/**
 * Service revenue per customer × contract × currency: billing documents dated in the period that left
 * draft (approved, sent, invoiced or credited), as one SQL aggregate in the billing module. Credit notes
 * count (negative) in the period they were issued, so a credited invoice and its credit net to zero only
 * when both fall in the period. Filters: region (the document's region), customer, contract.
 */
export async function serviceRevenueReport(
  executor: Executor,
  filter: ReportFilter,
): Promise<ServiceRevenueRow[]> {
  assertPeriod(filter.from, filter.to);
  const rows = await summarizeBilling(executor, filter);
  return rows
    .map((r) => {
      const add = (a: string, b: string) => new Decimal(a).plus(b).toFixed(currencyExponent(r.currency));
      return {
        customerId: r.customerId,
        customerName: r.customerName,
        contractId: r.contractId,
        contractNumber: r.contractNumber,
        currency: r.currency,
        documents: r.documents,
        workOrderRevenue: add(r.workOrderNet, r.workOrderCredits),
        recurringFeeRevenue: add(r.recurringFeeNet, r.recurringFeeCredits),
        credits: add(r.workOrderCredits, r.recurringFeeCredits),
        gross: r.gross,
        discount: r.discount,
        covered: r.covered,
        netRevenue: r.net,
      };
    })
    .sort(
      (a, b) =>
        a.customerName.localeCompare(b.customerName) ||
        (a.contractNumber ?? '').localeCompare(b.contractNumber ?? '') ||
        a.currency.localeCompare(b.currency),
    );
}

export const serviceRevenueColumns: CsvColumn<ServiceRevenueRow>[] = [
  { key: 'customerId', header: 'customer_id' },
  { key: 'customerName', header: 'customer_name' },
  { key: 'contractId', header: 'contract_id' },
  { key: 'contractNumber', header: 'contract_number' },
  { key: 'currency', header: 'currency' },
  { key: 'documents', header: 'documents', numeric: true },
  { key: 'workOrderRevenue', header: 'work_order_revenue', numeric: true },
  { key: 'recurringFeeRevenue', header: 'recurring_fee_revenue', numeric: true },
  { key: 'credits', header: 'credits', numeric: true },
  { key: 'gross', header: 'gross', numeric: true },
  { key: 'discount', header: 'discount', numeric: true },
  { key: 'covered', header: 'covered', numeric: true },
  { key: 'netRevenue', header: 'net_revenue', numeric: true },
];
