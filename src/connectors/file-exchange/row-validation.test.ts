import { describe, expect, it } from 'vitest';
import { formatFromFileName, ImportKind, kindFromFileName } from './import-kinds.js';
import { columnsOf, requiredColumnsOf, validateRow } from './row-validation.js';

describe('inbound row validation', () => {
  it('trims, drops empty optionals and maps to the domain shape', () => {
    expect(
      validateRow(ImportKind.customers, {
        code: ' C1 ',
        name: 'Ada',
        email: '',
        country: 'GB',
        postal_code: 'N1 9GU',
      }),
    ).toEqual({
      ok: true,
      row: { kind: 'customers', record: { code: 'C1', name: 'Ada', country: 'GB', postalCode: 'N1 9GU' } },
    });
    expect(
      validateRow(ImportKind.items, {
        sku: 'S1',
        name: 'Filter',
        uom: 'pc',
        unit_price: '12.5',
        currency: 'EUR',
        active: 'yes',
      }),
    ).toEqual({
      ok: true,
      row: {
        kind: 'items',
        record: {
          sku: 'S1',
          name: 'Filter',
          uom: 'pc',
          type: 'goods',
          unitPrice: { amount: '12.5', currency: 'EUR' },
          active: true,
        },
      },
    });
    expect(
      validateRow(ImportKind.priceLists, { price_list: 'PL', sku: 'S1', unit_price: '3', currency: 'EUR' }),
    ).toMatchObject({
      ok: true,
      row: { record: { minQuantity: '1' } },
    });
  });

  it('explains every problem with the field name', () => {
    const result = validateRow(ImportKind.stockLevels, { sku: '', location: 'WH 1', quantity: '1.2345' });
    expect(result).toEqual({
      ok: false,
      reason:
        'sku: required; location: letters, digits and . _ - / only; quantity: a decimal number with at most 3 decimals',
    });
    expect(
      validateRow(ImportKind.purchaseReceipts, {
        receipt_ref: 'R',
        line: '1',
        supplier_code: 'S',
        sku: 'X',
        quantity: '1',
        location: 'W',
        received_at: '2026-02-29',
      }),
    ).toMatchObject({
      ok: false,
      reason: 'received_at: not a real date',
    });
    expect(validateRow(ImportKind.customers, { code: 'C1', name: 'Line\nbreak' })).toMatchObject({
      ok: false,
      reason: 'name: must be a single line',
    });
  });

  it('knows each kind by file name prefix and format by extension', () => {
    expect(kindFromFileName('Stock-Levels_north.csv')).toBe('stock-levels');
    expect(kindFromFileName('purchase-receipts-2026.jsonl')).toBe('purchase-receipts');
    expect(kindFromFileName('invoices.csv')).toBeUndefined();
    expect(formatFromFileName('x.NDJSON')).toBe('jsonl');
    expect(formatFromFileName('x.tsv')).toBe('csv');
    expect(formatFromFileName('x.exe')).toBeUndefined();
    for (const kind of Object.values(ImportKind)) {
      for (const required of requiredColumnsOf(kind)) expect(columnsOf(kind)).toContain(required);
    }
  });
});
