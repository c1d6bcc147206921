import { expect, it } from 'vitest';
import { archiveWarehouse, createWarehouse } from '../../src/modules/stock/index.js';
import {
  archiveTechnician,
  createTechnician,
  getTechnician,
  listTechnicians,
  updateTechnician,
} from '../../src/modules/technicians/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
async function snapshot(db: Db) {
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

describeEachEngine('technicians', (handle) => {
  const db = () => handle().db;
  const van = (extra: { kind?: 'van' | 'central' } = {}) =>
    createWarehouse(db(), { code: unique('VAN'), name: 'Van', kind: 'van', region: 'north', ...extra });
  const base = () => ({
    code: unique('T'),
    name: 'Ada Field',
    region: 'north',
    costRate: { amount: '42.50', currency: 'EUR' },
  });

  it('creates a technician with skills, home van and cost rate, and announces it', async () => {
    const home = await van();
    const tech = await createTechnician(db(), {
      ...base(),
      skills: ['HVAC', 'boiler-gas', 'hvac'],
      homeVanWarehouseId: home.id,
      email: 'ada@example.com',
    });
    expect(tech).toMatchObject({
      skills: ['boiler-gas', 'hvac'],
      homeVanWarehouseId: home.id,
      costRate: { amount: '42.50', currency: 'EUR' },
      status: 'active',
      version: 1,
    });
    expect(await getTechnician(db(), tech.id)).toEqual(tech);
    const events = await readEvents(db(), { subject: `technician/${tech.id}` });
    expect(events.map((e) => e.type)).toEqual(['technician.created']);
    expect(events[0]?.data).toEqual({ technician: tech });
  });

  it('refuses a home van that is not an active van warehouse (422) and writes nothing', async () => {
    const central = await van({ kind: 'central' });
    const closed = await van();
    await archiveWarehouse(db(), closed.id);
    const before = await snapshot(db());
    const notVan = await caught(createTechnician(db(), { ...base(), homeVanWarehouseId: central.id }));
    expect(notVan.code).toBe('unprocessable');
    expect(notVan.details).toMatchObject({ field: 'homeVanWarehouseId', kind: 'central' });
    const archived = await caught(createTechnician(db(), { ...base(), homeVanWarehouseId: closed.id }));
    expect(archived.details).toMatchObject({ currentStatus: 'archived' });
    const missing = await caught(
      createTechnician(db(), { ...base(), homeVanWarehouseId: 'no-such-warehouse' }),
    );
    expect(missing.code).toBe('unprocessable');
    expect(missing.issues[0]?.path).toEqual(['homeVanWarehouseId']);
    expect(await snapshot(db())).toEqual(before);
  });

  it('refuses a duplicate code, bad skills and a cost rate with more decimals than the currency', async () => {
    const first = await createTechnician(db(), base());
    const before = await snapshot(db());
    const dup = await caught(createTechnician(db(), { ...base(), code: first.code }));
    expect(dup.details).toMatchObject({ field: 'code', conflictingId: first.id });
    const skill = await caught(createTechnician(db(), { ...base(), skills: ['ok', 'not a tag!'] }));
    expect(skill.issues[0]?.path).toEqual(['skills', 1]);
    const cents = await caught(
      createTechnician(db(), { ...base(), costRate: { amount: '42.505', currency: 'EUR' } }),
    );
    expect(cents.issues[0]?.path).toEqual(['costRate', 'amount']);
    const negative = await caught(
      createTechnician(db(), { ...base(), costRate: { amount: '-1', currency: 'EUR' } }),
    );
    expect(negative.issues[0]?.path).toEqual(['costRate', 'amount']);
    expect(await snapshot(db())).toEqual(before);
    expect(
      (await createTechnician(db(), { ...base(), costRate: { amount: '5000', currency: 'JPY' } })).costRate,
    ).toEqual({ amount: '5000', currency: 'JPY' });
  });

  it('updates with optimistic concurrency, names the changed fields, and archives', async () => {
    const [v1, v2] = [await van(), await van()];
    const tech = await createTechnician(db(), { ...base(), homeVanWarehouseId: v1.id, skills: ['hvac'] });
    const updated = await updateTechnician(
      db(),
      tech.id,
      {
        homeVanWarehouseId: v2.id,
        skills: ['hvac', 'electrical'],
        costRate: { amount: '50', currency: 'EUR' },
      },
      1,
    );
    expect(updated).toMatchObject({
      version: 2,
      homeVanWarehouseId: v2.id,
      skills: ['electrical', 'hvac'],
      costRate: { amount: '50.00' },
    });
    const stale = await caught(updateTechnician(db(), tech.id, { name: 'Lost' }, 1));
    expect(stale.code).toBe('precondition_failed');
    const unchanged = await updateTechnician(db(), tech.id, { skills: ['HVAC', 'electrical'] });
    expect(unchanged.version).toBe(2);
    const archived = await archiveTechnician(db(), tech.id);
    expect(archived.status).toBe('archived');
    const events = await readEvents(db(), { subject: `technician/${tech.id}` });
    expect(events.map((e) => e.type)).toEqual([
      'technician.created',
      'technician.updated',
      'technician.archived',
    ]);
    expect((events[1]?.data as { changedFields: string[] }).changedFields).toEqual([
      'homeVanWarehouseId',
      'skills',
      'costRate',
    ]);
    expect((await caught(updateTechnician(db(), tech.id, { name: 'After' }))).code).toBe('conflict');
  });

  it('lists by region, skill (exact tag, wildcards escaped) and van', async () => {
    const home = await van();
    const region = unique('region');
    const a = await createTechnician(db(), {
      ...base(),
      region,
      skills: ['gas_safe'],
      homeVanWarehouseId: home.id,
    });
    const b = await createTechnician(db(), { ...base(), region, skills: ['gasXsafe', 'hvac'] });
    const page = { limit: 50 };
    expect((await listTechnicians(db(), { region }, page)).data.map((t) => t.id)).toEqual([a.id, b.id]);
    expect((await listTechnicians(db(), { region, skill: 'gas_safe' }, page)).data.map((t) => t.id)).toEqual([
      a.id,
    ]);
    expect((await listTechnicians(db(), { region, skill: 'hvac' }, page)).data.map((t) => t.id)).toEqual([
      b.id,
    ]);
    expect(
      (await listTechnicians(db(), { homeVanWarehouseId: home.id }, page)).data.map((t) => t.id),
    ).toEqual([a.id]);
    const first = await listTechnicians(db(), { region }, { limit: 1 });
    expect(first.nextAfterId).toBe(a.id);
  });
});
