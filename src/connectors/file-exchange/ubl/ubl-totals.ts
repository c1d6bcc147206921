import { Decimal } from 'decimal.js';
import { currencyExponent } from '../../../shared/money.js';
import { AppError, AppErrorCode } from '../../../shared/errors/index.js';
import type { UblInvoice } from './ubl-document.js';

export interface UblTaxSubtotal {
  category: string;
  percent: string;
  exemptionReason?: string;
  taxableAmount: string;
  taxAmount: string;
}

export interface UblTotals {
  lineAmounts: string[];
  lineExtensionAmount: string;
  taxExclusiveAmount: string;
  taxInclusiveAmount: string;
  prepaidAmount?: string;
  payableAmount: string;
  /** Undefined when the document carries no tax information at all. */
  tax?: { taxAmount: string; subtotals: UblTaxSubtotal[] };
}

/**
 * The arithmetic of the invoice, in decimal: line amount = quantity × price rounded half-up to the
 * currency's minor unit; tax per (category, rate) on the summed taxable base; payable = inclusive − prepaid.
 * With no tax information the tax-inclusive and payable amounts equal the tax-exclusive one.
 */
export function computeUblTotals(doc: UblInvoice): UblTotals {
  const exp = currencyExponent(doc.currency);
  const round = (value: Decimal): Decimal => value.toDecimalPlaces(exp, Decimal.ROUND_HALF_UP);
  const fmt = (value: Decimal): string => value.toFixed(exp);

  const lineAmounts = doc.lines.map((line) => {
    const computed = round(new Decimal(line.quantity).mul(line.unitPrice));
    if (line.lineExtensionAmount !== undefined && !new Decimal(line.lineExtensionAmount).eq(computed)) {
      throw new AppError(
        AppErrorCode.validation,
        `line ${line.id}: lineExtensionAmount ${line.lineExtensionAmount} is not quantity × unitPrice = ${fmt(computed)}`,
        {
          details: { lineId: line.id, given: line.lineExtensionAmount, computed: fmt(computed) },
        },
      );
    }
    return computed;
  });
  const lineTotal = lineAmounts.reduce((sum, value) => sum.plus(value), new Decimal(0));

  let tax: UblTotals['tax'];
  if (doc.lines.every((line) => line.tax !== undefined)) {
    const groups = new Map<
      string,
      { category: string; percent: Decimal; exemptionReason?: string; base: Decimal }
    >();
    doc.lines.forEach((line, index) => {
      const lineTax = line.tax as NonNullable<typeof line.tax>;
      const percent = new Decimal(lineTax.percent);
      const key = `${lineTax.category}|${percent.toFixed()}`;
      const group = groups.get(key) ?? {
        category: lineTax.category,
        percent,
        exemptionReason: lineTax.exemptionReason,
        base: new Decimal(0),
      };
      group.base = group.base.plus(lineAmounts[index] as Decimal);
      groups.set(key, group);
    });
    const subtotals = [...groups.values()].map((group) => ({
      category: group.category,
      percent: group.percent.toFixed(),
      ...(group.exemptionReason === undefined ? {} : { exemptionReason: group.exemptionReason }),
      taxableAmount: fmt(group.base),
      taxAmount: fmt(round(group.base.mul(group.percent).div(100))),
    }));
    const taxAmount = subtotals.reduce((sum, subtotal) => sum.plus(subtotal.taxAmount), new Decimal(0));
    tax = { taxAmount: fmt(taxAmount), subtotals };
  }

  const inclusive = lineTotal.plus(tax?.taxAmount ?? 0);
  const prepaid = doc.prepaidAmount === undefined ? undefined : round(new Decimal(doc.prepaidAmount));
  return {
    lineAmounts: lineAmounts.map(fmt),
    lineExtensionAmount: fmt(lineTotal),
    taxExclusiveAmount: fmt(lineTotal),
    taxInclusiveAmount: fmt(inclusive),
    ...(prepaid === undefined ? {} : { prepaidAmount: fmt(prepaid) }),
    payableAmount: fmt(inclusive.minus(prepaid ?? 0)),
    ...(tax === undefined ? {} : { tax }),
  };
}
