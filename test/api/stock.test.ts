import { expect, it } from 'vitest';
import { issueToWorkOrder } from '../../src/modules/stock/index.js';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const n = async (
    table: 'stock_movements' | 'outbox_events' | 'warehouses' | 'cycle_counts' | 'stock_levels',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const levels = await db
    .selectFrom('stock_levels')
    .selectAll()
    .orderBy('item_id')
    .orderBy('warehouse_id')
    .execute();
  return {
    movements: await n('stock_movements'),
    events: await n('outbox_events'),
    warehouses: await n('warehouses'),
    counts: await n('cycle_counts'),
    levels,
  };
}
async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

describeEachHub('stock API', (hub) => {
  const item = async (serialTracked = false) => {
    const res = await hub().call('POST', '/v1/items', {
      body: { sku: unique('API'), name: 'Part', category: 'parts', listPrice: '3', serialTracked },
    });
    expect(res.status).toBe(201);
    return String(res.body.id);
  };
  const warehouse = async (extra: Record<string, unknown> = {}) => {
    const res = await hub().call('POST', '/v1/warehouses', {
      body: { code: unique('W'), name: 'Store', kind: 'van', region: 'west', ...extra },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string; version: number };
  };
  const post = (body: Record<string, unknown>, token?: string) =>
    hub().call('POST', '/v1/stock/movements', { body, token });

  it('warehouses: create, read with ETag, patch with If-Match, filter, archive', async () => {
    const created = await warehouse({ kind: 'central', region: 'api-region', erpLocationRef: 'tryton:12' });
    expect(created).toMatchObject({
      kind: 'central',
      erpLocationRef: 'tryton:12',
      allowNegative: false,
      status: 'active',
      version: 1,
    });
    const read = await hub().call('GET', `/v1/warehouses/${created.id}`, { token: hub().tokens.read });
    expect(read.headers.get('etag')).toBe('"1"');
    const patched = await hub().call('PATCH', `/v1/warehouses/${created.id}`, {
      body: { allowNegative: true },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.body).toMatchObject({ allowNegative: true, version: 2 });
    const stale = await hub().call('PATCH', `/v1/warehouses/${created.id}`, {
      body: { name: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    const list = await hub().call('GET', '/v1/warehouses?region=api-region&kind=central');
    expect((list.body.data as { id: string }[]).map((w) => w.id)).toEqual([created.id]);
    const archived = await hub().call('POST', `/v1/warehouses/${created.id}/archive`);
    expect(archived.body.status).toBe('archived');
    await expectNothingWritten(hub(), async () => {
      const bad = await hub().call('POST', '/v1/warehouses', {
        body: { code: 'X1', name: 'Bad', kind: 'truck', region: 'w', colour: 'red' },
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors ?? []).map((e) => e.path).sort()).toEqual(['/colour', '/kind']);
    });
  });

  it('posts a receipt, a transfer and an adjustment, and reads on-hand by item, warehouse and region', async () => {
    const part = await item();
    const central = await warehouse({ kind: 'central', region: 'api-east' });
    const van = await warehouse({ region: 'api-east' });
    const receipt = await post(
      { kind: 'receipt', itemId: part, warehouseId: central.id, quantity: '10', reference: 'PO-77' },
      hub().tokens.write,
    );
    expect(receipt.status).toBe(201);
    expect(receipt.body.movements).toMatchObject([
      { kind: 'receipt', quantity: '10', onHandAfter: '10', createdBy: 'token:writer' },
    ]);
    const transfer = await post({
      kind: 'transfer',
      itemId: part,
      fromWarehouseId: central.id,
      toWarehouseId: van.id,
      quantity: '2.5',
    });
    expect(transfer.body.movements).toMatchObject([
      { kind: 'transfer_out', quantity: '-2.5', warehouseId: central.id },
      { kind: 'transfer_in', quantity: '2.5', warehouseId: van.id },
    ]);
    const adjustment = await post({
      kind: 'adjustment',
      itemId: part,
      warehouseId: van.id,
      quantityDelta: '-0.5',
      reason: 'spilled',
    });
    expect(adjustment.body.movements).toMatchObject([
      { quantity: '-0.5', onHandAfter: '2', reason: 'spilled' },
    ]);

    const byItem = await hub().call('GET', `/v1/stock/on-hand?itemId=${part}`, { token: hub().tokens.read });
    expect(byItem.body.data).toEqual(
      [
        { itemId: part, warehouseId: central.id, quantity: '7.5' },
        { itemId: part, warehouseId: van.id, quantity: '2' },
      ].sort((a, b) => (a.warehouseId < b.warehouseId ? -1 : 1)),
    );
    const byRegion = await hub().call('GET', `/v1/stock/on-hand?region=api-east&warehouseId=${van.id}`);
    expect(byRegion.body.data).toEqual([{ itemId: part, warehouseId: van.id, quantity: '2' }]);
    const first = await hub().call('GET', `/v1/stock/on-hand?itemId=${part}&limit=1`);
    expect(first.body.data).toHaveLength(1);
    const second = await hub().call(
      'GET',
      `/v1/stock/on-hand?itemId=${part}&limit=1&cursor=${String(first.body.nextCursor)}`,
    );
    expect([...(first.body.data as unknown[]), ...(second.body.data as unknown[])]).toEqual(byItem.body.data);
    expect(second.body.nextCursor).toBeNull();
  });

  it('insufficient stock: 409 problem with available quantity, nothing posted', async () => {
    const part = await item();
    const van = await warehouse();
    const central = await warehouse({ kind: 'central' });
    await post({ kind: 'receipt', itemId: part, warehouseId: van.id, quantity: '1.5' });
    await expectNothingWritten(hub(), async () => {
      const res = await post({
        kind: 'transfer',
        itemId: part,
        fromWarehouseId: van.id,
        toWarehouseId: central.id,
        quantity: '2',
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'conflict',
        itemId: part,
        warehouseId: van.id,
        available: '1.5',
        requested: '2',
      });
    });
    // Issues come from work orders (no public POST); the refusal is the same and they are listed here.
    await expectNothingWritten(hub(), async () => {
      await expect(
        issueToWorkOrder(hub().hub.handle.db, {
          itemId: part,
          warehouseId: van.id,
          quantity: '5',
          workOrderId: 'wo-api',
        }),
      ).rejects.toMatchObject({
        code: 'conflict',
        details: { available: '1.5', requested: '5' },
      });
    });
    await issueToWorkOrder(hub().hub.handle.db, {
      itemId: part,
      warehouseId: van.id,
      quantity: '1',
      workOrderId: 'wo-api',
    });
    const issued = await hub().call('GET', `/v1/stock/movements?workOrderId=wo-api&kind=issue`);
    expect(issued.body.data).toMatchObject([
      { kind: 'issue', quantity: '-1', onHandAfter: '0.5', workOrderId: 'wo-api' },
    ]);
  });

  it('refuses issue/return kinds, unknown fields and bad quantities on POST with 400s, writing nothing', async () => {
    const part = await item();
    const van = await warehouse();
    await expectNothingWritten(hub(), async () => {
      const issue = await post({
        kind: 'issue',
        itemId: part,
        warehouseId: van.id,
        quantity: '1',
        workOrderId: 'w',
      });
      expect(issue.status).toBe(400);
      const extra = await post({
        kind: 'receipt',
        itemId: part,
        warehouseId: van.id,
        quantity: '1',
        createdBy: 'me',
      });
      expect((extra.body.errors ?? []).map((e) => e.path)).toEqual(['/createdBy']);
      const zero = await post({ kind: 'receipt', itemId: part, warehouseId: van.id, quantity: '0' });
      expect((zero.body.errors ?? []).map((e) => e.path)).toEqual(['/quantity']);
      const scope = await post(
        { kind: 'receipt', itemId: part, warehouseId: van.id, quantity: '1' },
        hub().tokens.read,
      );
      expect(scope.status).toBe(403);
    });
  });

  it('movements list: filters, pagination, and dates in the wrong order → 400', async () => {
    const part = await item();
    const van = await warehouse();
    await post({
      kind: 'receipt',
      itemId: part,
      warehouseId: van.id,
      quantity: '1',
      postedAt: '2024-05-01T08:00:00Z',
    });
    await post({
      kind: 'receipt',
      itemId: part,
      warehouseId: van.id,
      quantity: '2',
      postedAt: '2024-05-03T08:00:00Z',
    });
    const range = await hub().call('GET', `/v1/stock/movements?itemId=${part}&from=2024-05-02&to=2024-05-31`);
    expect((range.body.data as { quantity: string }[]).map((m) => m.quantity)).toEqual(['2']);
    const page1 = await hub().call('GET', `/v1/stock/movements?itemId=${part}&limit=1`);
    const page2 = await hub().call(
      'GET',
      `/v1/stock/movements?itemId=${part}&limit=1&cursor=${String(page1.body.nextCursor)}`,
    );
    expect((page2.body.data as { quantity: string }[]).map((m) => m.quantity)).toEqual(['2']);
    const wrong = await hub().call('GET', '/v1/stock/movements?from=2024-05-31&to=2024-05-01');
    expect(wrong.status).toBe(400);
    expect((wrong.body.errors ?? []).map((e) => e.path)).toEqual(['/query/from', '/query/to']);
    const notADate = await hub().call('GET', '/v1/stock/movements?from=yesterday');
    expect((notADate.body.errors ?? []).map((e) => e.path)).toEqual(['/query/from']);
    const one = await hub().call(
      'GET',
      `/v1/stock/movements/${String((page1.body.data as { id: string }[])[0]?.id)}`,
    );
    expect(one.body.quantity).toBe('1');
  });

  it('idempotencyKey in the body: a retried post is applied once and returns the original', async () => {
    const part = await item();
    const van = await warehouse();
    const body = {
      kind: 'receipt',
      itemId: part,
      warehouseId: van.id,
      quantity: '4',
      idempotencyKey: unique('import-row'),
    };
    const first = await post(body);
    await expectNothingWritten(hub(), async () => {
      const again = await post(body);
      expect(again.body).toEqual(first.body);
      const other = await post({ ...body, quantity: '5' });
      expect(other.status).toBe(422);
    });
  });

  it('serials through the API: listed with their place', async () => {
    const pump = await item(true);
    const van = await warehouse();
    const missing = await post({
      kind: 'receipt',
      itemId: pump,
      warehouseId: van.id,
      quantity: '2',
      serials: ['A-1'],
    });
    expect((missing.body.errors ?? []).map((e) => e.path)).toEqual(['/serials']);
    await post({
      kind: 'receipt',
      itemId: pump,
      warehouseId: van.id,
      quantity: '2',
      serials: ['A-1', 'A-2'],
    });
    const serials = await hub().call('GET', `/v1/stock/serials?itemId=${pump}&warehouseId=${van.id}`);
    expect(
      (serials.body.data as { serial: string; status: string }[]).map((s) => [s.serial, s.status]),
    ).toEqual([
      ['A-1', 'in_stock'],
      ['A-2', 'in_stock'],
    ]);
  });

  it('cycle counts: create a draft, post it, a second post is 409', async () => {
    const part = await item();
    const van = await warehouse();
    await post({ kind: 'receipt', itemId: part, warehouseId: van.id, quantity: '6' });
    const created = await hub().call('POST', '/v1/cycle-counts', {
      body: { warehouseId: van.id, lines: [{ itemId: part, countedQuantity: '5' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      lines: [{ expectedQuantity: '6', countedQuantity: '5', difference: '-1' }],
    });
    const id = String(created.body.id);
    const posted = await hub().call('POST', `/v1/cycle-counts/${id}/post`, {
      headers: { 'if-match': '"1"' },
    });
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('posted');
    await expectNothingWritten(hub(), async () => {
      const again = await hub().call('POST', `/v1/cycle-counts/${id}/post`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ currentStatus: 'posted', allowedFrom: ['draft'] });
    });
    const onHand = await hub().call('GET', `/v1/stock/on-hand?itemId=${part}`);
    expect(onHand.body.data).toEqual([{ itemId: part, warehouseId: van.id, quantity: '5' }]);
    const listed = await hub().call('GET', `/v1/cycle-counts?warehouseId=${van.id}&status=posted`);
    expect((listed.body.data as { id: string }[]).map((c) => c.id)).toEqual([id]);
  });

  it('consistency report is admin-only and says consistent', async () => {
    expect((await hub().call('GET', '/v1/stock/consistency', { token: hub().tokens.write })).status).toBe(
      403,
    );
    const report = await hub().call('GET', '/v1/stock/consistency');
    expect(report.body).toEqual({ consistent: true, levelMismatches: [], serialMismatches: [] });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const res = await fetch(`${hub().url}/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/warehouses',
      '/v1/stock/movements',
      '/v1/stock/on-hand',
      '/v1/cycle-counts/{id}/post',
      '/v1/technicians',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
