import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fileExchangeConnector } from '../../src/connectors/file-exchange/connector/index.js';
import type { ConnectorSession, WriteOp } from '../../src/connectors/sdk/index.js';
import {
  hasUblSchema,
  hasXmllint,
  validateUblInvoice,
  xmllintRequired,
} from '../../src/connectors/file-exchange/test-support/ubl-schema.js';

let base: string;
let outbound: string;
let session: ConnectorSession;

const supplier = {
  name: 'Fieldsync Demo Services',
  id: 'FS-1',
  address: { street: 'Werkstraat 1', city: 'Gent', country: 'BE' },
};

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'fx-billing-'));
  outbound = path.join(base, 'outbound');
  await mkdir(outbound);
  session = await fileExchangeConnector.connect(
    fileExchangeConnector.configSchema.parse({
      root: base,
      ubl: { supplier },
      entities: {
        billing_document: {
          file: 'billing-documents',
          ubl: true,
          explode: [{ from: 'lines', as: 'line' }],
          layout: [
            { field: 'document_number', header: 'document_number' },
            { field: 'currency', header: 'currency' },
            { field: 'line.lineNo', header: 'line_no' },
            { field: 'line.code', header: 'sku' },
            { field: 'line.quantity', header: 'quantity' },
            { field: 'line.netAmount.amount', header: 'line_amount' },
          ],
        },
      },
    }),
  );
});
afterEach(async () => {
  await session.close();
  await rm(base, { recursive: true, force: true });
});

const doc = (n: number, invoiceOverrides: Record<string, unknown> = {}): WriteOp => ({
  idempotencyKey: `flow:billing-documents:evt-${n}`,
  op: 'create',
  payload: {
    document_number: `BD-${n}`,
    currency: 'EUR',
    lines: [
      { lineNo: 1, code: 'normal', quantity: '1.5', netAmount: { amount: '120.00', currency: 'EUR' } },
      { lineNo: 2, code: 'FILTER-AIR', quantity: '2', netAmount: { amount: '-0.00', currency: 'EUR' } },
    ],
    invoice: {
      id: `BD-${n}`,
      issueDate: '2026-05-04',
      currency: 'EUR',
      customer: { name: 'Acme', address: { country: 'BE' } },
      lines: [
        { id: '1', itemName: 'Labour', quantity: '1.5', unitCode: 'HUR', unitPrice: '80' },
        { id: '2', itemName: 'Air filter', quantity: '2', unitCode: 'C62', unitPrice: '0' },
      ],
      ...invoiceOverrides,
    },
  },
});

it('billing documents: one CSV row per line for the batch, one UBL invoice per document, nothing twice on a re-send', async () => {
  const bad = doc(3, { lines: [] });
  const results = await session.writeBatch('billing_document', [doc(1), bad, doc(2)]);
  expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual(['ok', 'validation', 'ok']);
  expect(results[1]?.ok === false && results[1].error.message).toContain('UBL invoice refused');
  const names = (await readdir(outbound)).filter((n) => !n.startsWith('.')).sort();
  const csv = names.filter((n) => /_billing-documents_\d+\.csv$/.test(n));
  const ubl = names.filter((n) => /_ubl-invoices_\d+\.xml$/.test(n));
  expect(csv).toHaveLength(1);
  expect(ubl).toHaveLength(2);
  expect(names.filter((n) => n.endsWith('.manifest.json'))).toHaveLength(3);
  const text = await readFile(path.join(outbound, csv[0] as string), 'utf8');
  expect(text.split('\r\n').filter(Boolean)).toEqual([
    'document_number,currency,line_no,sku,quantity,line_amount',
    'BD-1,EUR,1,normal,1.5,120.00',
    'BD-1,EUR,2,FILTER-AIR,2,-0.00',
    'BD-2,EUR,1,normal,1.5,120.00',
    'BD-2,EUR,2,FILTER-AIR,2,-0.00',
  ]);
  expect(results.map((r) => (r.ok ? r.externalId?.split('#')[1] : null))).toEqual(['2', null, '4']);
  const subjects = await Promise.all(
    ubl.map(
      async (n) =>
        (JSON.parse(await readFile(path.join(outbound, `${n}.manifest.json`), 'utf8')) as { subject: string })
          .subject,
    ),
  );
  expect(subjects.sort()).toEqual(['BD-1', 'BD-2']);
  const invoice = await readFile(path.join(outbound, ubl[0] as string), 'utf8');
  expect(invoice).toContain('<cbc:UBLVersionID>2.1</cbc:UBLVersionID>');
  expect(invoice).toContain('Fieldsync Demo Services');

  const again = await session.writeBatch('billing_document', [doc(1), doc(2)]);
  expect(again.every((r) => r.ok && r.replayed === true)).toBe(true);
  expect((await readdir(outbound)).filter((n) => !n.startsWith('.'))).toHaveLength(names.length);
});

/** A `billing.document.approved` document as the billing module emits it (fields the export reads). */
const approved = (n: number) => ({
  id: `doc-${n}`,
  number: `BD-2026-00${n}`,
  kind: 'work_order',
  status: 'approved',
  documentDate: '2026-05-04',
  currency: 'EUR',
  customer: {
    id: 'c1',
    code: 'C-1001',
    name: 'Brasserie Noord',
    legalName: 'Brasserie Noord NV',
    taxId: 'BE0123456789',
  },
  billingAddress: {
    siteId: 's1',
    name: 'Brewery',
    line1: 'Dok Noord 4',
    line2: null,
    city: 'Gent',
    postalCode: '9000',
    country: 'BE',
    region: 'north',
  },
  workOrder: {
    id: 'w1',
    number: 'WO-000001',
    type: 'preventive',
    completedAt: '2026-05-04T10:00:00Z',
    revision: 0,
  },
  contract: { id: 'k1', number: 'K-2024-001', versionId: 'v1', versionNo: 1 },
  explanation: ['Preventive visit under contract K-2024-001.'],
  totals: { net: { amount: '54.50', currency: 'EUR' } },
  lines: [
    {
      lineNo: 1,
      kind: 'labor',
      code: 'normal',
      sku: null,
      description: 'Labour (normal), 1.5 h',
      quantity: '1.5',
      unit: 'h',
      unitPrice: { amount: '75.00', currency: 'EUR' },
      grossAmount: { amount: '112.50', currency: 'EUR' },
      discountAmount: { amount: '0.00', currency: 'EUR' },
      coveredAmount: { amount: '112.50', currency: 'EUR' },
      coverage: [
        { source: 'contract', reference: 'K-2024-001', amount: { amount: '112.50', currency: 'EUR' } },
      ],
      netAmount: { amount: '0.00', currency: 'EUR' },
      taxCategory: 'standard',
      costCenter: 'CC-NORTH',
    },
    {
      lineNo: 2,
      kind: 'part',
      code: 'item-1',
      sku: 'FILTER-AIR',
      description: 'Air filter element',
      quantity: '2',
      unit: 'unit',
      unitPrice: { amount: '12.50', currency: 'EUR' },
      grossAmount: { amount: '25.00', currency: 'EUR' },
      discountAmount: { amount: '2.50', currency: 'EUR' },
      coveredAmount: { amount: '0.00', currency: 'EUR' },
      coverage: [],
      netAmount: { amount: '22.50', currency: 'EUR' },
      taxCategory: 'standard',
      costCenter: 'CC-NORTH',
    },
    {
      lineNo: 3,
      kind: 'fee',
      code: 'call_out',
      sku: null,
      description: 'Call-out',
      quantity: '1',
      unit: 'unit',
      unitPrice: { amount: '32.00', currency: 'EUR' },
      grossAmount: { amount: '32.00', currency: 'EUR' },
      discountAmount: { amount: '0.00', currency: 'EUR' },
      coveredAmount: { amount: '0.00', currency: 'EUR' },
      coverage: [],
      netAmount: { amount: '32.00', currency: 'EUR' },
      taxCategory: 'standard',
      costCenter: null,
    },
  ],
});

const canValidate = hasXmllint && hasUblSchema;

it('a billing document from the billing module becomes a UBL invoice whose total is the net total (gross, discount and coverage lines)', async () => {
  const [result] = await session.writeBatch('billing_document', [
    {
      idempotencyKey: 'approved-1',
      op: 'create',
      payload: {
        document_number: 'BD-2026-001',
        currency: 'EUR',
        lines: approved(1).lines,
        document: approved(1),
      },
    },
  ]);
  expect(result?.ok).toBe(true);
  const [ubl] = (await readdir(outbound)).filter((n) => /_ubl-invoices_\d+\.xml$/.test(n));
  const xml = await readFile(path.join(outbound, ubl as string), 'utf8');
  expect(xml).toContain('<cbc:ID>BD-2026-001</cbc:ID>');
  expect(xml).toContain('<cbc:InvoicedQuantity unitCode="HUR">1.5</cbc:InvoicedQuantity>');
  expect(xml).toContain('Covered by contract K-2024-001 (line 1)');
  expect(xml).toContain('Discount on line 2');
  expect(xml).toMatch(/<cbc:PayableAmount currencyID="EUR">54.50<\/cbc:PayableAmount>/);
  expect(xml).toMatch(/<cac:OrderReference>\s*<cbc:ID>WO-000001<\/cbc:ID>/);
  if (canValidate || xmllintRequired) {
    const lint = validateUblInvoice(path.join(outbound, ubl as string));
    expect(lint.output).toContain('validates');
    expect(lint.ok).toBe(true);
  }
  const noAddress = { ...approved(2), billingAddress: null };
  const [refused] = await session.writeBatch('billing_document', [
    {
      idempotencyKey: 'approved-2',
      op: 'create',
      payload: { document_number: 'BD-2026-002', lines: noAddress.lines, document: noAddress },
    },
  ]);
  expect(refused?.ok === false && refused.error.errorClass).toBe('validation');
  expect(refused?.ok === false && refused.error.message).toContain('customer.address.country');
});
