import { Decimal } from 'decimal.js';
import type { ReadSpec, Row } from '../../runtime/reader.js';
import { decimalText, id, related, text } from '../../runtime/rows.js';

/** Analytic lines: amounts per cost center (from invoices, cost postings and any other Tryton move). */
export const analyticLineReadSpec: ReadSpec = {
  model: 'analytic_account.line',
  domain: [],
  fields: [
    'account',
    'account.code',
    'date',
    'debit',
    'credit',
    'move_line',
    'move_line.move',
    'move_line.description',
  ],
  toData(rows: readonly Row[]) {
    return rows.map((row) => {
      const debit = decimalText(row.debit) ?? '0';
      const credit = decimalText(row.credit) ?? '0';
      return {
        id: row.id,
        costCenterId: id(row.account),
        costCenter: text(related(row, 'account.code')),
        date: text(row.date),
        debit,
        credit,
        amount: new Decimal(debit).minus(credit).toFixed(),
        moveLine: id(row.move_line),
        move: id(related(row, 'move_line.move')),
        description: text(related(row, 'move_line.description')),
      };
    });
  },
};
