import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importOneFile } from '../../src/connectors/file-exchange/connector/inbound/index.js';
import { getPriceList, listPriceLists } from '../../src/modules/contracts/index.js';
import { listCustomers } from '../../src/modules/customers/index.js';
import { createItem, getItemBySku } from '../../src/modules/items/index.js';
import { createWarehouse, getOnHand, listMovements } from '../../src/modules/stock/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'fx-apply-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

let fileSeq = 0;
/** Writes `content` as a file named `<kind>-<n>.<ext>` and imports it now, as `fieldsync import` does. */
async function importText(db: Db, kind: string, content: string, ext = 'csv') {
  const file = path.join(base, `${kind}-${(fileSeq += 1)}.${ext}`);
  await writeFile(file, content);
  const outcome = await importOneFile({ db, root: path.join(base, 'exchange'), file });
  const rejects = outcome.rejectsFile ? await readFile(outcome.rejectsFile, 'utf8') : '';
  return { outcome, rejects };
}

const onHand = async (db: Db, itemId: string, warehouseId: string) =>
  (await getOnHand(db, { itemId, warehouseId }))[0]?.quantity ?? '0';

describeEachEngine('file exchange inbound: rows applied through the domain services', (handle) => {
  const db = () => handle().db;
  let tag = '';
  beforeAll(() => {
    tag = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
  });

  it('customers: created and updated by code; a row the domain refuses is a reject, not a stuck file', async () => {
    const tooLong = `C${'X'.repeat(62)}`; // fits the file schema (64), not the customer service (60)
    const { outcome, rejects } = await importText(
      db(),
      'customers',
      `code,name,email,street,city,country\nK-${tag},Kunde Eins,k1@example.com,Hauptweg 1,Gent,BE\n${tooLong},Too Long,,,,\nP-${tag},Half Address,,,Gent,BE\n`,
    );
    expect(outcome).toMatchObject({ status: 'imported', rowsRead: 3, applied: 1, rejected: 2 });
    expect(rejects).toMatch(/^3,"?rejected by the domain: .*code/m);
    expect(rejects).toMatch(/^4,.*a new address needs street, city and country \(missing: street\)/m);
    expect((await listCustomers(db(), { code: `P-${tag}` }, { limit: 1 })).data).toEqual([]);
    const again = await importText(db(), 'customers', `code,name,phone\nK-${tag},Kunde Eins GmbH,+32 1\n`);
    expect(again.outcome).toMatchObject({ status: 'imported', applied: 1, rejected: 0 });
    const customer = (await listCustomers(db(), { code: `K-${tag}` }, { limit: 5 })).data;
    expect(customer).toHaveLength(1);
    expect(customer[0]).toMatchObject({ name: 'Kunde Eins GmbH', email: 'k1@example.com', phone: '+32 1' });
    expect(customer[0]?.sites.map((s) => [s.line1, s.city, s.isBilling])).toEqual([
      ['Hauptweg 1', 'Gent', true],
    ]);
  });

  it('items: created by sku (service kind, price), updated, archived by active=false and not re-activated', async () => {
    const sku = `IMP-${tag}`;
    const first = await importText(
      db(),
      'items',
      `sku,name,uom,type,unit_price,currency\n${sku},Inspection,h,service,95.00,EUR\n${sku}-B,Bolt,pc,,0.35,EUR\n`,
    );
    expect(first.outcome).toMatchObject({ applied: 2, rejected: 0 });
    expect(await getItemBySku(db(), sku)).toMatchObject({
      kind: 'service',
      unit: 'h',
      listPrice: '95.00',
      category: 'imported',
    });
    const second = await importText(
      db(),
      'items',
      `sku,name,uom,unit_price,currency,active\n${sku}-B,Bolt M8,pc,0.40,EUR,no\n`,
    );
    expect(second.outcome).toMatchObject({ applied: 1 });
    expect(await getItemBySku(db(), `${sku}-B`)).toMatchObject({
      name: 'Bolt M8',
      listPrice: '0.40',
      status: 'archived',
    });
    const third = await importText(db(), 'items', `sku,name,uom\n${sku}-B,Bolt M8,pc\n`);
    expect(third.outcome).toMatchObject({ applied: 0, rejected: 1 });
    expect(third.rejects).toContain('is archived');
  });

  it('stock levels: absolute counts become adjustments; the same level again posts nothing; unknown codes are rejects', async () => {
    const item = await createItem(db(), {
      sku: `LVL-${tag}`,
      name: 'Gasket',
      category: 'seals',
      listPrice: '2',
    });
    const serial = await createItem(db(), {
      sku: `LVL-SN-${tag}`,
      name: 'Sensor',
      category: 'sensors',
      listPrice: '20',
      serialTracked: true,
    });
    const wh = await createWarehouse(db(), {
      code: `WH-${tag}`,
      name: 'Depot',
      kind: 'regional',
      region: 'east',
    });
    const file = `sku,location,quantity,counted_at\nLVL-${tag},WH-${tag},12.5,2026-05-04T08:00:00Z\nLVL-${tag},NOWHERE-${tag},1,\nNOSUCH-${tag},WH-${tag},1,\nLVL-SN-${tag},WH-${tag},2,\n`;
    const { outcome, rejects } = await importText(db(), 'stock-levels', file);
    expect(outcome).toMatchObject({ rowsRead: 4, applied: 1, rejected: 3 });
    expect(rejects).toContain(`NOWHERE-${tag}`);
    expect(rejects).toContain(`NOSUCH-${tag}`);
    expect(rejects).toMatch(/^5,.*rejected by the domain/m);
    expect(await onHand(db(), item.id, wh.id)).toBe('12.5');
    expect(await onHand(db(), serial.id, wh.id)).toBe('0');
    const lower = await importText(db(), 'stock-levels', `sku,location,quantity\nLVL-${tag},WH-${tag},10\n`);
    expect(lower.outcome).toMatchObject({ applied: 1 });
    expect(await onHand(db(), item.id, wh.id)).toBe('10');
    const movements = async () => (await listMovements(db(), { itemId: item.id }, { limit: 50 })).data;
    expect((await movements()).map((m) => [m.kind, m.quantity])).toEqual([
      ['adjustment', '12.5'],
      ['adjustment', '-2.5'],
    ]);
    await importText(
      db(),
      'stock-levels',
      `sku,location,quantity,counted_at\nLVL-${tag},WH-${tag},10,2026-05-05\n`,
    );
    expect(await movements()).toHaveLength(2);
  });

  it('purchase receipts: receive stock once per receipt line, even when the line comes again in another file', async () => {
    const item = await createItem(db(), {
      sku: `RCV-${tag}`,
      name: 'Hose',
      category: 'hoses',
      listPrice: '4',
    });
    const wh = await createWarehouse(db(), {
      code: `RC-${tag}`,
      name: 'Receiving',
      kind: 'central',
      region: 'east',
    });
    const line = `PO-${tag},1,SUP-1,RCV-${tag},5,RC-${tag},2026-05-04,3.10,EUR`;
    const header = 'receipt_ref,line,supplier_code,sku,quantity,location,received_at,unit_cost,currency';
    const first = await importText(
      db(),
      'purchase-receipts',
      `${header}\n${line}\nPO-${tag},2,SUP-1,RCV-${tag},2.5,RC-${tag},2026-05-04T10:00:00+02:00,,\n`,
    );
    expect(first.outcome).toMatchObject({ applied: 2, rejected: 0 });
    expect(await onHand(db(), item.id, wh.id)).toBe('7.5');
    const resent = await importText(db(), 'purchase-receipts', `${header}\n${line}\n`);
    expect(resent.outcome).toMatchObject({ status: 'imported', applied: 1, rejected: 0 });
    expect(await onHand(db(), item.id, wh.id)).toBe('7.5');
    const changed = await importText(
      db(),
      'purchase-receipts',
      `${header}\nPO-${tag},1,SUP-1,RCV-${tag},6,RC-${tag},2026-05-04,,\n`,
    );
    expect(changed.outcome).toMatchObject({ applied: 0, rejected: 1 });
    expect(await onHand(db(), item.id, wh.id)).toBe('7.5');
  });

  it('price lists: a list is created by code and its lines updated; other currencies, validities and quantity breaks are rejects', async () => {
    const a = await createItem(db(), {
      sku: `PLA-${tag}`,
      name: 'Valve',
      category: 'valves',
      listPrice: '30',
    });
    const b = await createItem(db(), { sku: `PLB-${tag}`, name: 'Seal', category: 'seals', listPrice: '3' });
    const header = 'price_list,sku,unit_price,currency,min_quantity,valid_from,valid_to';
    const { outcome, rejects } = await importText(
      db(),
      'price-lists',
      `${header}\nPL-${tag},PLA-${tag},27.50,EUR,,2026-01-01,2026-12-31\nPL-${tag},PLB-${tag},2.80,EUR,1,,\nPL-${tag},PLB-${tag},2.50,USD,,,\nPL-${tag},PLB-${tag},2.40,EUR,10,,\nPL-${tag},PLB-${tag},2.40,EUR,,2026-02-01,\n`,
    );
    expect(outcome).toMatchObject({ rowsRead: 5, applied: 2, rejected: 3 });
    expect(rejects).toContain('is in EUR');
    expect(rejects).toContain('quantity breaks are not supported');
    expect(rejects).toContain('one validity for all its lines');
    const list = (await listPriceLists(db(), { code: `PL-${tag}` }, { limit: 1 })).data[0];
    const loaded = await getPriceList(db(), list?.id ?? '');
    expect(loaded).toMatchObject({
      currency: 'EUR',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      isDefault: false,
    });
    expect(loaded.items).toEqual({ [a.id]: '27.50', [b.id]: '2.80' });
  });

  it('the same content again is a duplicate: archived, nothing applied, no events', async () => {
    const content = `code,name\nDUP-${tag},Duplicate Test\n`;
    expect((await importText(db(), 'customers', content)).outcome.status).toBe('imported');
    const before = (await readEvents(db(), { limit: 100_000 })).length;
    const again = await importText(db(), 'customers', content);
    expect(again.outcome).toMatchObject({ status: 'duplicate' });
    expect(again.outcome.movedTo).toContain(`${path.sep}archive${path.sep}`);
    expect((await readEvents(db(), { limit: 100_000 })).length).toBe(before);
  });
});
