import type { Contract } from '../contracts/index.js';
import { listContracts } from '../contracts/index.js';
import type { Customer } from '../customers/index.js';
import { getCustomer } from '../customers/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { fromMinorUnits } from '../../shared/money.js';
import type { BillingOptions } from './billing-policy.js';
import { resolvePolicy } from './billing-policy.js';
import { customerColumns } from './document-rows.js';
import { announce, BillingEvents } from './events.js';
import { nextDocumentNumber } from './numbering.js';
import { parseInput } from '../../shared/parse-input.js';
import type { FeeSegment } from './recurring-fee-periods.js';
import { feeDocumentsOf, feeSegments } from './recurring-fee-periods.js';
import type { NewLineRow } from './repository.js';
import { insertLines } from './repository.js';
import type { BillingDocument, RecurringFeeRun } from './schemas.js';
import { recurringFeeRunSchema } from './schemas.js';

export interface RecurringFeeRunResult {
  periodStart: string;
  periodEnd: string;
  created: BillingDocument[];
  /** Contract × period pairs that already had their document (created by an earlier run). */
  existing: { contractId: string; periodKey: string; documentId: string }[];
}

const feeKey = (contractId: string, periodKey: string) => `${contractId}|${periodKey}`;

function feeLine(contract: Contract, s: FeeSegment, lineNo: number, taxCategory: string): NewLineRow {
  const amount = fromMinorUnits(s.amountMinor, s.fee.currency);
  const word = { monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly' }[s.kind];
  const reasons = [
    {
      code: 'recurring_fee',
      text: `${word} fee ${s.fee.amount} ${s.fee.currency} of contract ${contract.number} version ${s.versionNo} for ${s.period.key}`,
    },
  ];
  if (s.prorated) {
    reasons.push({
      code: 'recurring_fee_prorated',
      text: `prorated ${s.days}/${s.periodDays} days (${s.from} to ${s.to}): ${s.fee.amount} × ${s.days} ÷ ${s.periodDays} = ${amount}`,
    });
  }
  return {
    line_no: lineNo,
    kind: 'recurring_fee',
    code: 'recurring_fee',
    description: `Service contract ${contract.number} fee ${s.period.key}${s.prorated ? ` (${s.from} to ${s.to})` : ''}`,
    quantity_milli: 1000,
    unit: 'period',
    unit_price: amount,
    price_list_id: null,
    price_basis: null,
    gross_minor: s.amountMinor,
    discount_pct: '0',
    discount_minor: 0,
    covered_pct: '0',
    covered_minor: 0,
    covered_by_contract_minor: 0,
    covered_by_warranty_minor: 0,
    net_minor: s.amountMinor,
    tax_category: taxCategory,
    item_id: null,
    sku: null,
    asset_id: null,
    cost_center: null,
    coverage: '[]',
    reasons: JSON.stringify(reasons),
    detail: JSON.stringify({
      kind: 'recurring_fee',
      contractVersionId: s.versionId,
      versionNo: s.versionNo,
      feePeriod: s.kind,
      fullAmount: s.fee,
      from: s.from,
      to: s.to,
      days: s.days,
      periodDays: s.periodDays,
      prorated: s.prorated,
    }),
  };
}

async function createFeeDocument(
  executor: Executor,
  contract: Contract,
  customer: Customer,
  doc: { period: FeeSegment['period']; segments: FeeSegment[] },
  taxCategory: string,
): Promise<BillingDocument> {
  return inTransaction(executor, async (uow) => {
    const id = newId();
    const now = nowIso();
    const currency = doc.segments[0]?.fee.currency ?? contract.currency;
    const total = doc.segments.reduce((sum, s) => sum + s.amountMinor, 0);
    const last = doc.segments[doc.segments.length - 1];
    const customerCols = customerColumns(customer, null);
    const address = customerCols.billing_address
      ? (JSON.parse(customerCols.billing_address) as { region: string | null })
      : null;
    const prorated = doc.segments.some((s) => s.prorated);
    const explanation = [
      `Recurring fee of contract ${contract.number} for ${doc.period.key} (${doc.period.start} to ${doc.period.end}): ${fromMinorUnits(total, currency)} ${currency}${prorated ? ', prorated by days in force' : ''}.`,
    ];
    await uow.tx
      .insertInto('billing_documents')
      .values({
        id,
        number: await nextDocumentNumber(uow, 'recurring_fee'),
        kind: 'recurring_fee',
        status: 'draft',
        document_date: doc.period.start,
        currency,
        ...customerCols,
        region: address?.region ?? null,
        cost_center: null,
        work_order_id: null,
        work_order_number: null,
        work_order_type: null,
        work_order_completed_at: null,
        work_order_revision: null,
        active_work_order_id: null,
        contract_id: contract.id,
        contract_number: contract.number,
        contract_version_id: last?.versionId ?? null,
        contract_version_no: last?.versionNo ?? null,
        fee_key: feeKey(contract.id, doc.period.key),
        period_key: doc.period.key,
        period_start: doc.period.start,
        period_end: doc.period.end,
        credits_document_id: null,
        credited_by_document_id: null,
        credit_reason: null,
        gross_minor: total,
        discount_minor: 0,
        covered_minor: 0,
        covered_by_contract_minor: 0,
        covered_by_warranty_minor: 0,
        net_minor: total,
        zero_amount: total === 0 ? 1 : 0,
        explanation: JSON.stringify(explanation),
        cap_consumption: '[]',
        pricing: null,
        external_ref: null,
        erp_number: null,
        approved_at: null,
        sent_at: null,
        invoiced_at: null,
        credited_at: null,
        revision: 0,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await insertLines(
      uow,
      id,
      doc.segments.map((s, i) => feeLine(contract, s, i + 1, taxCategory)),
    );
    return announce(uow, id, BillingEvents.created, []);
  });
}

/**
 * One draft document per contract × fee period: with `asOf`, the fee period containing that day; with
 * `periodStart..periodEnd`, every fee period overlapping the range (a monthly fee over a quarter gives
 * three documents). Prorated by days when the contract version carrying the fee starts or ends mid-period
 * (terminations included). Idempotent: `fee_key` is UNIQUE, so re-running (or a racing run) never creates
 * a second document for a contract and period — not even after the first was credited.
 */
export async function generateRecurringFees(
  executor: Executor,
  raw: RecurringFeeRun,
  options: BillingOptions = {},
): Promise<RecurringFeeRunResult> {
  const run = parseInput(recurringFeeRunSchema, raw);
  const periodStart = run.asOf ?? run.periodStart ?? '';
  const periodEnd = run.asOf ?? run.periodEnd ?? '';
  const taxCategory = resolvePolicy(options).taxCategories.fee;
  const result: RecurringFeeRunResult = { periodStart, periodEnd, created: [], existing: [] };
  const customers = new Map<string, Customer>();
  for (const status of ['active', 'terminated'] as const) {
    let afterId: string | undefined;
    do {
      const page = await listContracts(executor, { status }, { limit: 100, afterId });
      for (const contract of page.data) {
        for (const doc of feeDocumentsOf(feeSegments(contract, periodStart, periodEnd))) {
          const key = feeKey(contract.id, doc.period.key);
          const found = await existingFee(executor, key);
          if (found) {
            result.existing.push({ contractId: contract.id, periodKey: doc.period.key, documentId: found });
            continue;
          }
          let customer = customers.get(contract.customerId);
          if (!customer) {
            customer = await getCustomer(executor, contract.customerId);
            customers.set(customer.id, customer);
          }
          try {
            result.created.push(await createFeeDocument(executor, contract, customer, doc, taxCategory));
          } catch (error) {
            const raced =
              isUniqueViolation(error) && !('emit' in executor)
                ? await existingFee(executor, key)
                : undefined;
            if (!raced) throw error;
            result.existing.push({ contractId: contract.id, periodKey: doc.period.key, documentId: raced });
          }
        }
      }
      afterId = page.nextAfterId ?? undefined;
    } while (afterId);
  }
  return result;
}

async function existingFee(executor: Executor, key: string): Promise<string | undefined> {
  const row = await queryable(executor)
    .selectFrom('billing_documents')
    .select('id')
    .where('fee_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}
