import { describe, expect, it } from 'vitest';
import { createAsset, disposeAsset, recordMeterReading } from '../../src/modules/assets/index.js';
import type { GenerateResult } from '../../src/modules/maintenance-plans/index.js';
import {
  addMonths,
  calendarOccurrences,
  createPlan,
  forecastPlan,
  generate,
  listOccurrences,
  meterOccurrences,
  updatePlan,
} from '../../src/modules/maintenance-plans/index.js';
import { getWorkOrder, listWorkOrders } from '../../src/modules/work-orders/index.js';
import { createFieldWorld } from '../../src/modules/work-orders/testing/field-fixtures.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

describe('plan calendars', () => {
  it('adds months clamped to the month end, without drift', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 2)).toBe('2025-03-31');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
  });

  it('lists due dates in the window and collapses missed ones into the latest', () => {
    const due = calendarOccurrences({
      start: '2025-01-31',
      end: null,
      every: 1,
      unit: 'month',
      asOf: '2025-05-10',
      until: '2025-08-10',
    });
    expect(due.map((d) => d.dueDate)).toEqual(['2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31']);
    const weekly = calendarOccurrences({
      start: '2025-01-06',
      end: '2025-01-27',
      every: 2,
      unit: 'week',
      asOf: '2025-01-01',
      until: '2025-12-31',
    });
    expect(weekly.map((d) => d.key)).toEqual(['cal:2025-01-06', 'cal:2025-01-20']);
  });

  it('projects meter thresholds from recent use and survives a meter replacement', () => {
    const readings = [
      { readingAt: '2025-01-01T00:00:00Z', valueMilli: 100_000, meterReplaced: false },
      { readingAt: '2025-01-31T00:00:00Z', valueMilli: 400_000, meterReplaced: false },
      // New meter: 50 h on it means 450 h in total.
      { readingAt: '2025-02-05T00:00:00Z', valueMilli: 50_000, meterReplaced: true },
    ];
    const due = meterOccurrences({
      readings,
      intervalMilli: 200_000,
      baselineMilli: 0,
      start: '2025-01-01',
      end: null,
      asOf: '2025-02-05',
      until: '2025-03-10',
    });
    // 400 h was passed on Jan 31 (only the highest passed threshold is kept); 600 h and 800 h are projected
    // at ≈ 350 h / 35 days = 10 h/day: 600 h ≈ Feb 20, 800 h ≈ Mar 12 (outside the window).
    expect(due).toEqual([
      { dueDate: '2025-01-31', key: 'meter:400h' },
      { dueDate: '2025-02-20', key: 'meter:600h' },
    ]);
    expect(
      meterOccurrences({
        readings: readings.slice(0, 1),
        intervalMilli: 200_000,
        baselineMilli: 0,
        start: '2025-01-01',
        end: null,
        asOf: '2025-02-05',
        until: '2025-12-31',
      }),
    ).toEqual([]);
  });
});

async function count(
  db: Db,
  table: 'work_orders' | 'maintenance_plans' | 'maintenance_plan_occurrences' | 'outbox_events',
) {
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}
async function snapshot(db: Db) {
  return {
    workOrders: await count(db, 'work_orders'),
    plans: await count(db, 'maintenance_plans'),
    occurrences: await count(db, 'maintenance_plan_occurrences'),
    events: await count(db, 'outbox_events'),
  };
}
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await snapshot(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await snapshot(db)).toEqual(before);
}

describeEachEngine('maintenance plans', (handle) => {
  const db = () => handle().db;

  it('generates monthly preventive work orders over a horizon, idempotently', async () => {
    const w = await createFieldWorld(db());
    const plan = await createPlan(db(), {
      name: 'Monthly compressor service',
      scope: 'asset',
      assetId: w.assetId,
      contractId: w.contractId,
      trigger: { kind: 'calendar', every: 1, unit: 'month' },
      startDate: '2025-01-15',
      workOrder: { priority: 'high' },
    });
    const first = await generate(db(), { horizonDays: 60, asOf: '2025-03-01', planIds: [plan.id] });
    expect(first.created.map((c) => c.dueDate)).toEqual(['2025-02-15', '2025-03-15', '2025-04-15']);
    expect(first.alreadyGenerated).toBe(0);
    const wo = await getWorkOrder(db(), first.created[1]?.workOrderId ?? '');
    expect(wo).toMatchObject({
      type: 'preventive',
      priority: 'high',
      planId: plan.id,
      dueDate: '2025-03-15',
      contractId: w.contractId,
      reportedAt: '2025-03-15T00:00:00.000Z',
      assets: [{ assetId: w.assetId }],
      status: 'draft',
    });
    expect(wo.sla?.resolutionDueAt).toBe('2025-03-17T00:00:00.000Z');

    const before = await snapshot(db());
    const again = await generate(db(), { horizonDays: 60, asOf: '2025-03-01', planIds: [plan.id] });
    expect(again.created).toEqual([]);
    expect(again.alreadyGenerated).toBe(3);
    expect(await snapshot(db())).toEqual(before);

    const further = await generate(db(), { horizonDays: 90, asOf: '2025-03-01', planIds: [plan.id] });
    expect(further.created.map((c) => c.dueDate)).toEqual(['2025-05-15']);
    expect((await listOccurrences(db(), plan.id)).map((o) => o.dueDate)).toEqual([
      '2025-02-15',
      '2025-03-15',
      '2025-04-15',
      '2025-05-15',
    ]);
    expect((await listWorkOrders(db(), { planId: plan.id })).data).toHaveLength(4);
    const events = await readEvents(db(), { subject: `maintenance_plan/${plan.id}` });
    expect(events.map((e) => e.type)).toEqual([
      'maintenance_plan.created',
      'maintenance_plan.generated',
      'maintenance_plan.generated',
    ]);
  });

  it('never duplicates when two generations run at the same time', async () => {
    const w = await createFieldWorld(db());
    const plan = await createPlan(db(), {
      name: 'Weekly check',
      scope: 'asset',
      assetId: w.assetId,
      trigger: { kind: 'calendar', every: 1, unit: 'week' },
      startDate: '2025-06-02',
      workOrder: { type: 'inspection' },
    });
    const runs = await Promise.all(
      [1, 2, 3].map(() => generate(db(), { horizonDays: 27, asOf: '2025-06-02', planIds: [plan.id] })),
    );
    const created = runs.flatMap((r: GenerateResult) => r.created);
    expect(created.map((c) => c.dueDate).sort()).toEqual([
      '2025-06-02',
      '2025-06-09',
      '2025-06-16',
      '2025-06-23',
    ]);
    expect((await listWorkOrders(db(), { planId: plan.id })).data).toHaveLength(4);
  });

  it('a contract plan creates one work order per covered asset and due date', async () => {
    const w = await createFieldWorld(db());
    const second = await createAsset(db(), {
      serialNumber: `SN2-${w.tag}`,
      itemId: w.items.filter,
      customerId: w.customerId,
      siteId: w.siteId,
    });
    const plan = await createPlan(db(), {
      name: 'Quarterly contract visit',
      scope: 'contract',
      contractId: w.contractId,
      trigger: { kind: 'calendar', every: 3, unit: 'month' },
      startDate: '2025-01-01',
    });
    const result = await generate(db(), { horizonDays: 100, asOf: '2025-01-01', planIds: [plan.id] });
    expect(
      result.created.map((c) => `${c.dueDate}/${c.assetId === second.id ? 'second' : 'first'}`).sort(),
    ).toEqual(['2025-01-01/first', '2025-01-01/second', '2025-04-01/first', '2025-04-01/second']);
  });

  it('a meter plan follows the running hours', async () => {
    const w = await createFieldWorld(db());
    await recordMeterReading(db(), w.assetId, { readingAt: '2026-01-01T00:00:00Z', value: '1000' });
    await recordMeterReading(db(), w.assetId, { readingAt: '2026-01-31T00:00:00Z', value: '1300' });
    const plan = await createPlan(db(), {
      name: 'Every 250 running hours',
      scope: 'asset',
      assetId: w.assetId,
      trigger: { kind: 'meter', everyHours: '250' },
      startDate: '2026-01-01',
    });
    const forecast = await forecastPlan(db(), plan.id, { horizonDays: 30, asOf: '2026-01-31' });
    expect(forecast.due.map((d) => [d.dueKey.split(':').slice(1).join(':'), d.dueDate, d.generated])).toEqual(
      [
        // Passed: due on the day of the reading that showed it.
        ['meter:1250h', '2026-01-31', false],
        ['meter:1500h', '2026-02-20', false],
      ],
    );
    const result = await generate(db(), { horizonDays: 30, asOf: '2026-01-31', planIds: [plan.id] });
    expect(result.created).toHaveLength(2);
    await recordMeterReading(db(), w.assetId, { readingAt: '2026-02-10T00:00:00Z', value: '1420' });
    // 420 h in 40 days = 10.5 h/day: 1500 h ≈ Feb 17 (already generated), 1750 h ≈ Mar 13.
    const later = await generate(db(), { horizonDays: 40, asOf: '2026-02-10', planIds: [plan.id] });
    expect(later.created.map((c) => c.dueKey.split(':').slice(1).join(':'))).toEqual(['meter:1750h']);
    expect(later.created[0]?.dueDate).toBe('2026-03-13');
    expect(later.alreadyGenerated).toBe(2);
  });

  it('paused plans and disposed assets generate nothing', async () => {
    const w = await createFieldWorld(db());
    const plan = await createPlan(db(), {
      name: 'Paused',
      scope: 'asset',
      assetId: w.assetId,
      trigger: { kind: 'calendar', every: 1, unit: 'day' },
      startDate: '2025-01-01',
    });
    await updatePlan(db(), plan.id, { status: 'paused' });
    const paused = await generate(db(), { horizonDays: 5, asOf: '2025-01-01', planIds: [plan.id] });
    expect(paused).toMatchObject({ created: [], skipped: [{ planId: plan.id, reason: 'plan is paused' }] });
    await updatePlan(db(), plan.id, { status: 'active' });
    await disposeAsset(db(), w.assetId, {
      disposalDate: new Date().toISOString().slice(0, 10),
      disposalReason: 'scrapped',
    });
    const disposed = await generate(db(), { horizonDays: 5, asOf: '2025-01-01', planIds: [plan.id] });
    expect(disposed).toMatchObject({
      created: [],
      skipped: [{ planId: plan.id, reason: 'asset is disposed' }],
    });
  });

  it('bad input: dates in the wrong order, missing scope target, foreign contract → nothing written', async () => {
    const w = await createFieldWorld(db());
    const base = {
      name: 'x',
      scope: 'asset' as const,
      assetId: w.assetId,
      trigger: { kind: 'calendar' as const, every: 1, unit: 'month' as const },
    };
    await expectNothingWritten(
      db(),
      () => createPlan(db(), { ...base, startDate: '2025-05-01', endDate: '2025-04-30' }),
      {
        code: 'validation',
        issues: [{ path: ['endDate'] }],
      },
    );
    await expectNothingWritten(
      db(),
      () => createPlan(db(), { ...base, assetId: undefined, startDate: '2025-05-01' }),
      {
        code: 'validation',
        issues: [{ path: ['assetId'] }],
      },
    );
    await expectNothingWritten(
      db(),
      () =>
        createPlan(db(), {
          ...base,
          assetId: w.foreignAssetId,
          contractId: w.contractId,
          startDate: '2025-05-01',
        }),
      {
        code: 'unprocessable',
        issues: [{ path: ['contractId'] }],
      },
    );
    await expectNothingWritten(
      db(),
      () =>
        createPlan(db(), { ...base, trigger: { kind: 'meter', everyHours: '0' }, startDate: '2025-05-01' }),
      {
        code: 'validation',
      },
    );
    const plan = await createPlan(db(), { ...base, startDate: '2025-05-01' });
    await expectNothingWritten(db(), () => updatePlan(db(), plan.id, { endDate: '2025-04-01' }), {
      code: 'validation',
    });
    await expectNothingWritten(db(), () => generate(db(), { horizonDays: 10, planIds: ['no-such-plan'] }), {
      code: 'unprocessable',
      details: { missingPlanIds: ['no-such-plan'] },
    });
  });
});
