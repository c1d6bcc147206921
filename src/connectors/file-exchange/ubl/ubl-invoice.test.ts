import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/index.js';
import { tempDir } from '../test-support/temp-dir.js';
import {
  hasUblSchema,
  hasXmllint,
  ublInvoiceXsd,
  validateUblInvoice,
  xmllintRequired,
} from '../test-support/ubl-schema.js';
import type { UblInvoiceInput } from './ubl-document.js';
import { buildUblInvoice } from './ubl-invoice.js';
import { writeUblInvoiceFile } from './write-ubl-invoice.js';

const canValidate = hasXmllint && hasUblSchema;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('fx-ubl-')));
afterEach(async () => cleanup());

const party = (name: string, country: string) => ({
  name,
  id: `${name.slice(0, 3).toUpperCase()}-1`,
  taxId: `${country}123456789`,
  address: { street: 'Hauptstraße 1 & 2', city: 'Köln', postalZone: '50667', country },
  contact: { name: 'Accounts', email: 'ap@example.com' },
});

const taxed: UblInvoiceInput = {
  id: 'INV-2026-0001',
  issueDate: '2026-11-26',
  dueDate: '2026-12-26',
  currency: 'EUR',
  note: 'Work order WO-77 <completed>',
  buyerReference: 'PO-991',
  orderReference: 'SO-12',
  supplier: party('Fieldsync Services GmbH', 'DE'),
  customer: party('Acme Kunden AG', 'DE'),
  lines: [
    {
      id: '1',
      itemName: 'Labour',
      quantity: '2.5',
      unitCode: 'HUR',
      unitPrice: '80',
      tax: { category: 'S', percent: '19' },
    },
    {
      id: '2',
      itemName: 'Oil filter',
      sellersItemId: 'SKU-1',
      quantity: '3',
      unitCode: 'C62',
      unitPrice: '12.333',
      tax: { category: 'S', percent: '19' },
    },
    {
      id: '3',
      itemName: 'Export part',
      quantity: '1',
      unitCode: 'C62',
      unitPrice: '10',
      lineExtensionAmount: '10.00',
      tax: { category: 'Z', percent: '0' },
    },
  ],
  prepaidAmount: '50',
};

const untaxed: UblInvoiceInput = {
  id: 'INV-2',
  issueDate: '2026-11-26',
  currency: 'JPY',
  supplier: party('Supplier KK', 'JP'),
  customer: party('Customer KK', 'JP'),
  lines: [{ id: 'A', itemName: 'Inspection', quantity: '1', unitCode: 'C62', unitPrice: '15000.4' }],
};

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['cac:InvoiceLine', 'cac:TaxSubtotal'].includes(name),
});
type Node = Record<string, unknown>;
const text = (node: unknown): string =>
  typeof node === 'object' && node !== null ? String((node as Node)['#text']) : String(node);

describe('UBL 2.1 Invoice', () => {
  it.skipIf(!canValidate && !xmllintRequired)(
    'is valid against the OASIS UBL-Invoice-2.1 schema (xmllint)',
    async () => {
      expect(
        hasXmllint,
        'xmllint is required (FIELDSYNC_TEST_XMLLINT=1): apt-get install libxml2-utils',
      ).toBe(true);
      expect(hasUblSchema, `UBL schema not found at ${ublInvoiceXsd} (set FIELDSYNC_UBL_XSD)`).toBe(true);
      for (const [seq, document] of [taxed, untaxed].entries()) {
        const { path: file } = await writeUblInvoiceFile({ dir, seq, document });
        const result = validateUblInvoice(file);
        expect(result.output).toContain('validates');
        expect(result.ok).toBe(true);
      }
    },
  );

  it('has the mandatory elements in schema order and totals that add up', () => {
    const { xml, totals } = buildUblInvoice(taxed);
    const invoice = (parser.parse(xml) as Node).Invoice as Node;
    const order = Object.keys(invoice).filter((key) => !key.startsWith('@_'));
    expect(order).toEqual([
      'cbc:UBLVersionID',
      'cbc:ID',
      'cbc:IssueDate',
      'cbc:DueDate',
      'cbc:InvoiceTypeCode',
      'cbc:Note',
      'cbc:DocumentCurrencyCode',
      'cbc:LineCountNumeric',
      'cbc:BuyerReference',
      'cac:OrderReference',
      'cac:AccountingSupplierParty',
      'cac:AccountingCustomerParty',
      'cac:TaxTotal',
      'cac:LegalMonetaryTotal',
      'cac:InvoiceLine',
    ]);
    expect(text(invoice['cbc:UBLVersionID'])).toBe('2.1');
    expect(text(invoice['cbc:InvoiceTypeCode'])).toBe('380');
    expect(text(invoice['cbc:Note'])).toBe('Work order WO-77 <completed>');

    const lines = invoice['cac:InvoiceLine'] as Node[];
    const lineSum = lines.reduce(
      (sum, line) => sum.plus(text(line['cbc:LineExtensionAmount'])),
      new Decimal(0),
    );
    const monetary = invoice['cac:LegalMonetaryTotal'] as Node;
    expect(text(monetary['cbc:LineExtensionAmount'])).toBe(lineSum.toFixed(2));
    // 2.5 h × 80 = 200.00; 3 × 12.333 = 36.999 → 37.00; 10.00
    expect(lines.map((line) => text(line['cbc:LineExtensionAmount']))).toEqual(['200.00', '37.00', '10.00']);
    for (const line of lines) {
      const quantity = new Decimal(text(line['cbc:InvoicedQuantity']));
      const price = new Decimal(text((line['cac:Price'] as Node)['cbc:PriceAmount']));
      expect(quantity.mul(price).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe(
        text(line['cbc:LineExtensionAmount']),
      );
      expect((line['cbc:LineExtensionAmount'] as Node)['@_currencyID']).toBe('EUR');
    }
    const taxTotal = invoice['cac:TaxTotal'] as Node;
    const subtotals = taxTotal['cac:TaxSubtotal'] as Node[];
    expect(
      subtotals.map((subtotal) => [text(subtotal['cbc:TaxableAmount']), text(subtotal['cbc:TaxAmount'])]),
    ).toEqual([
      ['237.00', '45.03'],
      ['10.00', '0.00'],
    ]);
    const taxSum = subtotals.reduce(
      (sum, subtotal) => sum.plus(text(subtotal['cbc:TaxAmount'])),
      new Decimal(0),
    );
    expect(text(taxTotal['cbc:TaxAmount'])).toBe(taxSum.toFixed(2));
    expect(text(monetary['cbc:TaxExclusiveAmount'])).toBe('247.00');
    expect(text(monetary['cbc:TaxInclusiveAmount'])).toBe(new Decimal('247.00').plus(taxSum).toFixed(2));
    expect(text(monetary['cbc:PayableAmount'])).toBe(
      new Decimal(text(monetary['cbc:TaxInclusiveAmount'])).minus(50).toFixed(2),
    );
    expect(totals.payableAmount).toBe('242.03');
  });

  it('without tax information: no TaxTotal, payable = tax-exclusive, amounts in the currency minor unit', () => {
    const { xml } = buildUblInvoice(untaxed);
    const invoice = (parser.parse(xml) as Node).Invoice as Node;
    expect(invoice['cac:TaxTotal']).toBeUndefined();
    const monetary = invoice['cac:LegalMonetaryTotal'] as Node;
    expect(text(monetary['cbc:LineExtensionAmount'])).toBe('15000');
    expect(text(monetary['cbc:TaxExclusiveAmount'])).toBe('15000');
    expect(text(monetary['cbc:TaxInclusiveAmount'])).toBe('15000');
    expect(text(monetary['cbc:PayableAmount'])).toBe('15000');
  });

  it('refuses inconsistent or incomplete documents with a validation error', () => {
    expect(() => buildUblInvoice({ ...untaxed, lines: [] })).toThrow(AppError);
    expect(() =>
      buildUblInvoice({ ...untaxed, lines: [{ ...untaxed.lines[0]!, lineExtensionAmount: '1' }] }),
    ).toThrow(/not quantity × unitPrice/);
    expect(() =>
      buildUblInvoice({
        ...taxed,
        lines: [...taxed.lines, { id: '9', itemName: 'x', quantity: '1', unitCode: 'C62', unitPrice: '1' }],
      }),
    ).toThrow(AppError);
    expect(() => buildUblInvoice({ ...untaxed, note: 'bell \u0007' })).toThrow(/XML cannot carry/);
  });

  it('is written atomically with a manifest naming the invoice', async () => {
    const { path: file, manifest } = await writeUblInvoiceFile({
      dir,
      seq: 3,
      document: taxed,
      clock: () => new Date('2026-11-26T12:00:00Z'),
    });
    expect(path.basename(file)).toBe('20261126T120000000Z_ubl-invoices_000003.xml');
    expect(manifest).toMatchObject({
      records: 1,
      format: 'xml',
      flow: 'ubl-invoices',
      subject: 'INV-2026-0001',
    });
    expect(
      (await readFile(file, 'utf8')).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns='),
    ).toBe(true);
    if (hasXmllint) execFileSync('xmllint', ['--noout', '--nonet', file]);
  });
});
