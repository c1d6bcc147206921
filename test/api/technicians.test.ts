import { expect, it } from 'vitest';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const n = async (table: 'technicians' | 'outbox_events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { technicians: await n('technicians'), events: await n('outbox_events') };
}
async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

describeEachHub('technicians API', (hub) => {
  const warehouse = async (kind: 'van' | 'central') => {
    const res = await hub().call('POST', '/v1/warehouses', {
      body: { code: unique('TW'), name: 'W', kind, region: 'north' },
    });
    return String(res.body.id);
  };
  const body = (extra: Record<string, unknown> = {}) => ({
    code: unique('TECH'),
    name: 'Grace Hopper',
    region: 'north',
    skills: ['hvac'],
    costRate: { amount: '55.00', currency: 'EUR' },
    ...extra,
  });

  it('create, read, list by skill, patch with If-Match, archive', async () => {
    const van = await warehouse('van');
    const created = await hub().call('POST', '/v1/technicians', {
      body: body({ homeVanWarehouseId: van, email: 'grace@example.com' }),
      token: hub().tokens.write,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/technicians/${String(created.body.id)}`);
    expect(created.body).toMatchObject({
      homeVanWarehouseId: van,
      costRate: { amount: '55.00', currency: 'EUR' },
      skills: ['hvac'],
      version: 1,
    });
    const id = String(created.body.id);
    const read = await hub().call('GET', `/v1/technicians/${id}`, { token: hub().tokens.read });
    expect(read.headers.get('etag')).toBe('"1"');
    const bySkill = await hub().call('GET', `/v1/technicians?skill=HVAC&homeVanWarehouseId=${van}`);
    expect((bySkill.body.data as { id: string }[]).map((t) => t.id)).toEqual([id]);
    const patched = await hub().call('PATCH', `/v1/technicians/${id}`, {
      body: { skills: ['hvac', 'solar'] },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.body).toMatchObject({ skills: ['hvac', 'solar'], version: 2 });
    await expectNothingWritten(hub(), async () => {
      const stale = await hub().call('PATCH', `/v1/technicians/${id}`, {
        body: { name: 'Lost' },
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
    });
    const archived = await hub().call('POST', `/v1/technicians/${id}/archive`);
    expect(archived.body.status).toBe('archived');
  });

  it('a home van that is not a van warehouse → 422, nothing written', async () => {
    const central = await warehouse('central');
    await expectNothingWritten(hub(), async () => {
      const res = await hub().call('POST', '/v1/technicians', {
        body: body({ homeVanWarehouseId: central }),
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'unprocessable', field: 'homeVanWarehouseId', kind: 'central' });
      expect((res.body.errors ?? []).map((e) => e.path)).toEqual(['/homeVanWarehouseId']);
    });
  });

  it('bad input → 400 listing every path; duplicate code → 409; nothing written', async () => {
    const first = await hub().call('POST', '/v1/technicians', { body: body() });
    await expectNothingWritten(hub(), async () => {
      const bad = await hub().call('POST', '/v1/technicians', {
        body: {
          code: 'X',
          region: 'n',
          skills: ['ok', 'bad tag'],
          costRate: { amount: '1.234', currency: 'EUR' },
          colour: 'red',
        },
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors ?? []).map((e) => e.path).sort()).toEqual(
        ['/colour', '/costRate/amount', '/name', '/skills/1'].sort(),
      );
      const dup = await hub().call('POST', '/v1/technicians', { body: body({ code: first.body.code }) });
      expect(dup.status).toBe(409);
      expect(dup.body.conflictingId).toBe(first.body.id);
      const scope = await hub().call('POST', '/v1/technicians', { body: body(), token: hub().tokens.read });
      expect(scope.status).toBe(403);
    });
  });
});
