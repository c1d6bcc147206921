import type { LineRow, NewLineRow } from './repository.js';

/**
 * A credit note line negates its original line: quantity and every amount change sign, the unit price
 * stays positive (ERPs book credit notes as negative quantities at the original price), and a reason
 * says which line of which document it credits.
 */
export function creditLineRows(lines: LineRow[], originalNumber: string): NewLineRow[] {
  const neg = (v: number | string) => -Number(v);
  return lines.map((line) => {
    const coverage = (
      JSON.parse(line.coverage) as {
        source: string;
        reference: string;
        amount: { amount: string; currency: string };
      }[]
    ).map((share) => ({ ...share, amount: { ...share.amount, amount: negateAmount(share.amount.amount) } }));
    const reasons = [
      { code: 'credit_note', text: `credits line ${line.line_no} of ${originalNumber}` },
      ...(JSON.parse(line.reasons) as { code: string; text: string }[]),
    ];
    return {
      line_no: line.line_no,
      kind: line.kind,
      code: line.code,
      description: line.description,
      quantity_milli: neg(line.quantity_milli),
      unit: line.unit,
      unit_price: line.unit_price,
      price_list_id: line.price_list_id,
      price_basis: line.price_basis,
      gross_minor: neg(line.gross_minor),
      discount_pct: line.discount_pct,
      discount_minor: neg(line.discount_minor),
      covered_pct: line.covered_pct,
      covered_minor: neg(line.covered_minor),
      covered_by_contract_minor: neg(line.covered_by_contract_minor),
      covered_by_warranty_minor: neg(line.covered_by_warranty_minor),
      net_minor: neg(line.net_minor),
      tax_category: line.tax_category,
      item_id: line.item_id,
      sku: line.sku,
      asset_id: line.asset_id,
      cost_center: line.cost_center,
      coverage: JSON.stringify(coverage),
      reasons: JSON.stringify(reasons),
      detail: JSON.stringify({
        ...(JSON.parse(line.detail) as Record<string, unknown>),
        creditsLineNo: line.line_no,
      }),
    };
  });
}

/** "12.50" → "-12.50", "-3" → "3", "0.00" stays "0.00" (no negative zero in documents). */
export function negateAmount(amount: string): string {
  if (/^-/.test(amount)) return amount.slice(1);
  return /[1-9]/.test(amount) ? `-${amount}` : amount;
}
