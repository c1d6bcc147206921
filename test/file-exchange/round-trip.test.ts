import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileExchangeConnector } from '../../src/connectors/file-exchange/connector/index.js';
import { importOneFile } from '../../src/connectors/file-exchange/connector/inbound/index.js';
import type { ExportFormat } from '../../src/connectors/file-exchange/index.js';
import {
  InMemoryProcessedFileStore,
  InboundFolder,
  ensureInboundFolders,
} from '../../src/connectors/file-exchange/index.js';
import { collectingApply } from '../../src/connectors/file-exchange/test-support/collecting-apply.js';
import { listCustomers } from '../../src/modules/customers/index.js';
import { describeEachEngine } from '../support/test-database.js';

/** The customers import columns, written by the connector as an outbound entity `customer`. */
const customerColumns = [
  'code',
  'name',
  'email',
  'phone',
  'tax_id',
  'street',
  'city',
  'postal_code',
  'country',
  'currency',
];

const customers: Record<string, string>[] = [
  {
    code: 'RT-1',
    name: '=SUM(A1:A9) Trading',
    email: 'a@example.com',
    street: 'Rue "Neuve", 1',
    city: 'Liège',
    postal_code: '4000',
    country: 'BE',
    currency: 'EUR',
  },
  {
    code: 'RT-2',
    name: '-minus, +plus & @at',
    phone: '+32 2 555 01 01',
    tax_id: 'BE0123456789',
    currency: 'CHF',
  },
  {
    code: 'RT-3',
    name: 'Ōsaka 商事 <xml> & "quotes"',
    street: "O'Brien Street 5",
    city: 'Dublin',
    postal_code: 'D02',
    country: 'IE',
  },
];

const camel = (row: Record<string, string>) => ({
  code: row.code,
  name: row.name,
  ...(row.email && { email: row.email }),
  ...(row.phone && { phone: row.phone }),
  ...(row.tax_id && { taxId: row.tax_id }),
  ...(row.street && { street: row.street }),
  ...(row.city && { city: row.city }),
  ...(row.postal_code && { postalCode: row.postal_code }),
  ...(row.country && { country: row.country }),
  ...(row.currency && { currency: row.currency }),
});

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'fx-roundtrip-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** Exports the records through the connector and returns the written file's path. */
async function exportCustomers(format: ExportFormat, root: string): Promise<string> {
  await mkdir(path.join(root, 'outbound'), { recursive: true });
  const session = await fileExchangeConnector.connect(
    fileExchangeConnector.configSchema.parse({
      root,
      entities: {
        customer: {
          format,
          file: 'customers',
          layout: customerColumns.map((c) => ({ field: c, header: c })),
        },
      },
    }),
  );
  try {
    const results = await session.writeBatch(
      'customer',
      customers.map((payload, i) => ({ idempotencyKey: `rt-${format}-${i}`, op: 'create', payload })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
  } finally {
    await session.close();
  }
  const [file] = (await readdir(path.join(root, 'outbound'))).filter((n) => n.endsWith(`.${format}`));
  return path.join(root, 'outbound', file as string);
}

describe('round trip: connector export → inbound import gives the same records', () => {
  for (const format of ['csv', 'jsonl', 'xml'] as const) {
    it(`${format}`, async () => {
      const root = path.join(base, format);
      const exported = await exportCustomers(format, root);
      const folders = await ensureInboundFolders(root);
      // The exported name starts with its time stamp; the inbox tells kinds apart by a name prefix.
      await copyFile(exported, path.join(folders.inbox, `customers-roundtrip.${format}`));
      const { apply, byFile } = collectingApply();
      const folder = new InboundFolder({ ...folders, store: new InMemoryProcessedFileStore(), apply });
      await folder.poll();
      const report = await folder.poll();
      expect(report.outcomes.map((o) => [o.status, o.applied, o.rejected])).toEqual([['imported', 3, 0]]);
      const applied = byFile.get(`customers-roundtrip.${format}`) ?? [];
      expect(applied.map((a) => a.row)).toEqual(
        customers.map((c) => ({ kind: 'customers', record: camel(c) })),
      );
    });
  }
});

describeEachEngine('round trip through the database', (handle) => {
  it('exported customers imported into an empty database read back equal', async () => {
    const root = path.join(base, `db-${Date.now()}`);
    const exported = await exportCustomers('csv', root);
    const named = path.join(root, 'customers-from-export.csv');
    await copyFile(exported, named);
    const outcome = await importOneFile({ db: handle().db, root, file: named });
    expect(outcome).toMatchObject({ status: 'imported', applied: 3, rejected: 0 });
    for (const c of customers) {
      const stored = (await listCustomers(handle().db, { code: c.code }, { limit: 1 })).data[0];
      expect(stored).toMatchObject({
        name: c.name,
        email: c.email ?? null,
        phone: c.phone ?? null,
        taxId: c.tax_id ?? null,
        currency: c.currency ?? 'EUR',
      });
      const site = stored?.sites[0];
      if (c.street)
        expect(site).toMatchObject({
          line1: c.street,
          city: c.city,
          country: c.country,
          postalCode: c.postal_code ?? null,
        });
      else expect(stored?.sites).toEqual([]);
    }
  });
});
