import type { ReadSpec, Row } from '../../runtime/reader.js';
import { decimalText, groupBy, id, quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

/** Customer invoices with lines and their cost centers (analytic accounts). */
export const invoiceReadSpec: ReadSpec = {
  model: 'account.invoice',
  domain: [['type', '=', 'out']],
  fields: [
    'number',
    'reference',
    'description',
    'state',
    'party',
    'party.name',
    'invoice_date',
    'currency.code',
    'untaxed_amount',
    'tax_amount',
    'total_amount',
  ],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const lines = await rt.client.searchRead<{ id: number; invoice: number } & Record<string, unknown>>(
      'account.invoice.line',
      [['invoice', 'in', rows.map((r) => r.id)]],
      {
        fields: [
          'invoice',
          'description',
          'quantity',
          'unit_price',
          'amount',
          'product.code',
          'analytic_accounts',
        ],
        order: [['id', 'ASC']],
      },
    );
    const entryIds = lines.flatMap((l) => (l.analytic_accounts as number[] | null) ?? []);
    const entries = new Map(
      entryIds.length === 0
        ? []
        : (
            await rt.client.read<{ id: number } & Record<string, unknown>>(
              'analytic.account.entry',
              entryIds,
              ['account.code'],
            )
          ).map((e) => [e.id, text(related(e, 'account.code'))]),
    );
    const byInvoice = groupBy(lines, 'invoice');
    return rows.map((row) => ({
      id: row.id,
      number: text(row.number),
      reference: text(row.reference),
      description: text(row.description),
      state: row.state,
      party: id(row.party),
      partyName: text(related(row, 'party.name')),
      date: text(row.invoice_date),
      currency: text(related(row, 'currency.code')),
      untaxedAmount: decimalText(row.untaxed_amount),
      taxAmount: decimalText(row.tax_amount),
      totalAmount: decimalText(row.total_amount),
      lines: (byInvoice.get(row.id) ?? []).map((l) => ({
        description: text(l.description),
        quantity: quantityText(l.quantity),
        unitPrice: decimalText(l.unit_price),
        amount: decimalText(l.amount),
        sku: text(related(l, 'product.code')),
        costCenters: ((l.analytic_accounts as number[] | null) ?? []).map((e) => entries.get(e) ?? null),
      })),
    }));
  },
};
