import { expect, it } from 'vitest';
import { getOnHand } from '../../src/modules/stock/index.js';
import type { WorkOrder } from '../../src/modules/work-orders/index.js';
import {
  addLabor,
  addPart,
  answerChecklist,
  cancelWorkOrder,
  completeWorkOrder,
  createChecklistTemplate,
  createWorkOrder,
  getServiceReport,
  getWorkOrder,
  listWorkOrders,
  removeLabor,
  removePart,
  renderServiceReportHtml,
  scheduleWorkOrder,
  signWorkOrder,
  startWorkOrder,
  transitionWorkOrder,
} from '../../src/modules/work-orders/index.js';
import type { FieldWorld } from '../../src/modules/work-orders/testing/field-fixtures.js';
import { createFieldWorld, TINY_PNG_BASE64 } from '../../src/modules/work-orders/testing/field-fixtures.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

const tables = [
  'work_orders',
  'work_order_assets',
  'work_order_labor',
  'work_order_parts',
  'work_order_answers',
  'work_order_signatures',
  'work_order_revisions',
  'stock_movements',
  'outbox_events',
] as const;

async function snapshot(db: Db, workOrderId?: string) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const wo = workOrderId ? await getWorkOrder(db, workOrderId) : null;
  return {
    counts,
    version: wo?.version ?? null,
    status: wo?.status ?? null,
    signature: wo?.signature ?? null,
  };
}

/** Runs a bad request and checks it failed as expected with every table exactly as before. */
async function expectNothingWritten(
  db: Db,
  workOrderId: string | undefined,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await snapshot(db, workOrderId);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await snapshot(db, workOrderId)).toEqual(before);
}

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

async function onHand(db: Db, itemId: string, warehouseId: string): Promise<string> {
  return (await getOnHand(db, { itemId, warehouseId }))[0]?.quantity ?? '0';
}

async function inProgress(
  db: Db,
  w: FieldWorld,
  extra: { type?: WorkOrder['type']; checklistTemplateId?: string | null } = {},
) {
  const wo = await createWorkOrder(db, {
    type: extra.type ?? 'corrective',
    title: 'Compressor leaks oil',
    customerId: w.customerId,
    assetIds: [w.assetId],
    contractId: w.contractId,
    reportedAt: ago(5),
    ...(extra.checklistTemplateId !== undefined && { checklistTemplateId: extra.checklistTemplateId }),
  });
  await scheduleWorkOrder(db, wo.id, {
    technicianId: w.technicianId,
    plannedStart: ago(4),
    plannedEnd: ago(1),
  });
  return startWorkOrder(db, wo.id, ago(3));
}

async function checklist(db: Db, tag: string) {
  return createChecklistTemplate(db, {
    name: `Leak check ${tag}`,
    items: [
      { key: 'belt_ok', label: 'Belt OK', kind: 'pass_fail', required: true },
      { key: 'pressure', label: 'Pressure', kind: 'number', required: true, min: 6, max: 10, unit: 'bar' },
      { key: 'remarks', label: 'Remarks', kind: 'text' },
    ],
  });
}

describeEachEngine('work orders', (handle) => {
  const db = () => handle().db;

  it('runs a corrective work order end to end: SLA, schedule, labor, parts from the van, checklist, signature, completion', async () => {
    const w = await createFieldWorld(db());
    const template = await checklist(db(), w.tag);
    const reportedAt = ago(6);
    const created = await createWorkOrder(db(), {
      type: 'corrective',
      priority: 'urgent',
      title: 'Compressor leaks oil',
      customerId: w.customerId,
      assetIds: [w.assetId],
      contractId: w.contractId,
      reportedAt,
      checklistTemplateId: template.id,
    });
    expect(created.number).toMatch(/^WO-\d{6,}$/);
    expect(created.status).toBe('draft');
    expect(created.siteId).toBe(w.siteId);
    expect(created.region).toBe(w.region);
    expect(created.sla).toEqual({
      responseHours: 2,
      resolutionHours: 8,
      responseDueAt: new Date(Date.parse(reportedAt) + 2 * HOUR).toISOString(),
      resolutionDueAt: new Date(Date.parse(reportedAt) + 8 * HOUR).toISOString(),
    });
    expect(created.checklist?.items.map((i) => i.key)).toEqual(['belt_ok', 'pressure', 'remarks']);

    const scheduled = await scheduleWorkOrder(db(), created.id, {
      technicianId: w.technicianId,
      plannedStart: ago(5),
      plannedEnd: ago(1),
    });
    expect(scheduled).toMatchObject({
      status: 'scheduled',
      technicianId: w.technicianId,
      technicianName: w.technicianName,
    });
    const started = await startWorkOrder(db(), created.id, ago(4));
    expect(started.status).toBe('in_progress');

    await addLabor(db(), created.id, { laborType: 'travel', durationMinutes: 30, billable: false });
    const withLabor = await addLabor(db(), created.id, { startedAt: ago(4), endedAt: ago(2.5) });
    expect(withLabor.labor.map((l) => [l.laborType, l.durationMinutes, l.billable])).toEqual([
      ['travel', 30, false],
      ['normal', 90, true],
    ]);

    await addPart(db(), created.id, { itemId: w.items.filter, quantity: '2' });
    await addPart(db(), created.id, { itemId: w.items.oil, quantity: '1.5', assetId: w.assetId });
    const withParts = await addPart(db(), created.id, {
      itemId: w.items.pump,
      quantity: '1',
      serials: [`PUMP-${w.tag}-2`],
    });
    expect(withParts.parts.map((p) => [p.quantity, p.warehouseId])).toEqual([
      ['2', w.vanId],
      ['1.5', w.vanId],
      ['1', w.vanId],
    ]);
    expect(await onHand(db(), w.items.filter, w.vanId)).toBe('98');
    expect(await onHand(db(), w.items.oil, w.vanId)).toBe('98.5');
    expect(await onHand(db(), w.items.pump, w.vanId)).toBe('2');

    await answerChecklist(db(), created.id, {
      answers: [
        { key: 'belt_ok', value: 'pass' },
        { key: 'pressure', value: 7.5 },
      ],
    });
    const report = await getServiceReport(db(), created.id);
    expect(report.content.labor).toHaveLength(2);
    expect(report.content.parts).toHaveLength(3);
    expect(report.content.checklist.map((c) => c.value)).toEqual(['pass', 7.5, null]);

    const signed = await signWorkOrder(db(), created.id, {
      signerName: 'Carla Customer',
      imagePngBase64: TINY_PNG_BASE64,
      reportHash: report.reportHash,
    });
    expect(signed.signature).toMatchObject({ signerName: 'Carla Customer', reportHash: report.reportHash });

    const completed = await completeWorkOrder(db(), created.id);
    expect(completed.status).toBe('completed');
    expect(completed.reportHash).toBe(report.reportHash);

    const events = await readEvents(db(), { subject: `work_order/${created.id}` });
    expect(events.map((e) => e.type)).toEqual([
      'work_order.created',
      'work_order.scheduled',
      'work_order.started',
      'work_order.labor.recorded',
      'work_order.labor.recorded',
      'work_order.part.used',
      'work_order.part.used',
      'work_order.part.used',
      'work_order.checklist.answered',
      'work_order.signed',
      'work_order.completed',
    ]);
    const completedData = events[events.length - 1]?.data as {
      workOrder: WorkOrder;
      reportHash: string;
      warehouses: unknown[];
    };
    expect(completedData.reportHash).toBe(report.reportHash);
    // The van the parts came from, as ERP flows name it (its own location ref, none set here).
    expect(completedData.warehouses).toEqual([{ id: w.vanId, code: `VAN-${w.tag}`, erpLocationRef: null }]);
    expect(completedData.workOrder).toMatchObject({ status: 'completed', reportHash: report.reportHash });
    expect(completedData.workOrder.labor).toHaveLength(2);
    expect(completedData.workOrder.parts.map((p) => p.sku)).toEqual([
      `FILTER-${w.tag}`,
      `OIL-${w.tag}`,
      `PUMP-${w.tag}`,
    ]);
    expect(completedData.workOrder.answers).toHaveLength(2);
    expect(completedData.workOrder.signature?.signerName).toBe('Carla Customer');

    const html = await renderServiceReportHtml(db(), created.id);
    expect(html).toContain(created.number);
    expect(html).toContain('Carla Customer');
    expect(html).toContain(report.reportHash);

    const closed = await transitionWorkOrder(db(), created.id, { to: 'closed' });
    expect(closed.status).toBe('closed');
    const listed = await listWorkOrders(db(), { assetId: w.assetId, status: 'closed' });
    expect(listed.data.map((x) => x.id)).toContain(created.id);
  });

  it('bad input: an illegal transition is a 409 naming the allowed ones, nothing written', async () => {
    const w = await createFieldWorld(db());
    const wo = await createWorkOrder(db(), {
      type: 'inspection',
      title: 'Yearly check',
      customerId: w.customerId,
    });
    await expectNothingWritten(db(), wo.id, () => transitionWorkOrder(db(), wo.id, { to: 'in_progress' }), {
      code: 'conflict',
      details: {
        status: 'draft',
        requestedStatus: 'in_progress',
        allowedTransitions: ['scheduled', 'cancelled'],
      },
    });
    await expectNothingWritten(db(), wo.id, () => completeWorkOrder(db(), wo.id), {
      code: 'conflict',
      details: { allowedTransitions: ['scheduled', 'cancelled'] },
    });
    // Scheduling through a transition needs a technician and a window first.
    await expectNothingWritten(db(), wo.id, () => transitionWorkOrder(db(), wo.id, { to: 'scheduled' }), {
      code: 'unprocessable',
      details: { missing: ['technicianId', 'plannedStart', 'plannedEnd'] },
    });
    const cancelled = await cancelWorkOrder(db(), wo.id, 'customer withdrew');
    await expectNothingWritten(
      db(),
      wo.id,
      () => transitionWorkOrder(db(), cancelled.id, { to: 'scheduled' }),
      {
        code: 'conflict',
        details: { allowedTransitions: [] },
      },
    );
  });

  it('bad input: parts beyond the van stock are a 409 with the available quantity, nothing posted', async () => {
    const w = await createFieldWorld(db(), { vanStock: 3 });
    const wo = await inProgress(db(), w);
    await expectNothingWritten(
      db(),
      wo.id,
      () => addPart(db(), wo.id, { itemId: w.items.filter, quantity: '3.5' }),
      {
        code: 'conflict',
        details: { available: '3', requested: '3.5', warehouseId: w.vanId },
      },
    );
    expect(await onHand(db(), w.items.filter, w.vanId)).toBe('3');
    expect((await getWorkOrder(db(), wo.id)).parts).toEqual([]);
  });

  it('bad input: checklist answers out of limits are a 422 naming the item and its limits, nothing written', async () => {
    const w = await createFieldWorld(db());
    const template = await checklist(db(), w.tag);
    const wo = await inProgress(db(), w, { checklistTemplateId: template.id });
    await expectNothingWritten(
      db(),
      wo.id,
      () =>
        answerChecklist(db(), wo.id, {
          answers: [
            { key: 'belt_ok', value: 'pass' },
            { key: 'pressure', value: 12 },
          ],
        }),
      {
        code: 'unprocessable',
        details: { outOfLimits: [{ key: 'pressure', value: 12, min: 6, max: 10, unit: 'bar' }] },
      },
    );
    await expectNothingWritten(
      db(),
      wo.id,
      () => answerChecklist(db(), wo.id, { answers: [{ key: 'belt_ok', value: 'maybe' }] }),
      {
        code: 'validation',
      },
    );
  });

  it('bad input: completion without required answers is a 422 listing what is missing, nothing written', async () => {
    const w = await createFieldWorld(db());
    const template = await checklist(db(), w.tag);
    const wo = await inProgress(db(), w, { checklistTemplateId: template.id });
    await answerChecklist(db(), wo.id, { answers: [{ key: 'remarks', value: 'looked fine' }] });
    await expectNothingWritten(db(), wo.id, () => completeWorkOrder(db(), wo.id), {
      code: 'unprocessable',
      details: { missingAnswers: ['belt_ok', 'pressure'], laborMissing: true, signatureMissing: true },
    });
  });

  it('bad input: a signature for a report that changed afterwards is rejected; a later change voids a signature', async () => {
    const w = await createFieldWorld(db());
    const wo = await inProgress(db(), w, { checklistTemplateId: null });
    const seen = (await getServiceReport(db(), wo.id)).reportHash;
    await addLabor(db(), wo.id, { durationMinutes: 45 });
    await expectNothingWritten(
      db(),
      wo.id,
      () =>
        signWorkOrder(db(), wo.id, {
          signerName: 'Late Larry',
          imagePngBase64: TINY_PNG_BASE64,
          reportHash: seen,
        }),
      {
        code: 'conflict',
        details: {
          signedReportHash: seen,
          currentReportHash: (await getServiceReport(db(), wo.id)).reportHash,
        },
      },
    );

    const current = (await getServiceReport(db(), wo.id)).reportHash;
    const signed = await signWorkOrder(db(), wo.id, {
      signerName: 'Carla',
      imagePngBase64: TINY_PNG_BASE64,
      reportHash: current,
    });
    expect(signed.signature?.reportHash).toBe(current);
    const changed = await addLabor(db(), wo.id, { durationMinutes: 10, laborType: 'overtime' });
    expect(changed.signature).toBeNull();
    const events = await readEvents(db(), {
      subject: `work_order/${wo.id}`,
      types: ['work_order.labor.recorded'],
    });
    expect((events[events.length - 1]?.data as { signatureInvalidated: boolean }).signatureInvalidated).toBe(
      true,
    );
    await expectNothingWritten(db(), wo.id, () => completeWorkOrder(db(), wo.id), {
      code: 'unprocessable',
      details: { signatureMissing: true, missingAnswers: [] },
    });
    // Not a PNG → 400 before anything is looked at.
    await expectNothingWritten(
      db(),
      wo.id,
      () =>
        signWorkOrder(db(), wo.id, {
          signerName: 'X',
          imagePngBase64: Buffer.from('GIF89a-not-png').toString('base64'),
          reportHash: current,
        }),
      { code: 'validation' },
    );
  });

  it('bad input: dates in the wrong order are 400s, nothing written', async () => {
    const w = await createFieldWorld(db());
    const draft = await createWorkOrder(db(), { type: 'corrective', title: 'x', customerId: w.customerId });
    await expectNothingWritten(
      db(),
      draft.id,
      () =>
        scheduleWorkOrder(db(), draft.id, {
          technicianId: w.technicianId,
          plannedStart: ago(1),
          plannedEnd: ago(2),
        }),
      { code: 'validation', issues: [{ path: ['plannedEnd'] }] },
    );
    const wo = await inProgress(db(), w);
    await expectNothingWritten(
      db(),
      wo.id,
      () => addLabor(db(), wo.id, { startedAt: ago(1), endedAt: ago(2) }),
      {
        code: 'validation',
        issues: [{ path: ['endedAt'], message: 'endedAt must be after startedAt' }],
      },
    );
    await addLabor(db(), wo.id, { durationMinutes: 20 });
    await expectNothingWritten(db(), wo.id, () => completeWorkOrder(db(), wo.id, { completedAt: ago(3.5) }), {
      code: 'validation',
      issues: [{ path: ['completedAt'] }],
    });
  });

  it('cancelling an in-progress work order with parts is refused until the parts are returned', async () => {
    const w = await createFieldWorld(db(), { vanStock: 10 });
    const wo = await inProgress(db(), w);
    const withPart = await addPart(db(), wo.id, { itemId: w.items.filter, quantity: '4' });
    const labor = await addLabor(db(), wo.id, { durationMinutes: 15 });
    const partId = withPart.parts[0]?.id ?? '';
    await expectNothingWritten(db(), wo.id, () => cancelWorkOrder(db(), wo.id, 'wrong site'), {
      code: 'conflict',
      details: { partLineIds: [partId] },
    });
    await removePart(db(), wo.id, partId);
    expect(await onHand(db(), w.items.filter, w.vanId)).toBe('10');
    await removeLabor(db(), wo.id, labor.labor[0]?.id ?? '');
    const cancelled = await cancelWorkOrder(db(), wo.id, 'wrong site');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: 'wrong site',
      parts: [],
      labor: [],
    });
  });

  it('bad input: references that do not resolve are 422s naming the field, nothing written', async () => {
    const w = await createFieldWorld(db());
    await expectNothingWritten(
      db(),
      undefined,
      () =>
        createWorkOrder(db(), {
          type: 'corrective',
          title: 'x',
          customerId: w.customerId,
          assetIds: [w.foreignAssetId],
        }),
      { code: 'unprocessable', issues: [{ path: ['assetIds', 0] }] },
    );
    await expectNothingWritten(
      db(),
      undefined,
      () =>
        createWorkOrder(db(), {
          type: 'corrective',
          title: 'x',
          customerId: w.otherCustomerId,
          contractId: w.contractId,
        }),
      { code: 'unprocessable', issues: [{ path: ['contractId'] }] },
    );
    const wo = await inProgress(db(), w);
    await expectNothingWritten(
      db(),
      wo.id,
      () => addPart(db(), wo.id, { itemId: w.items.service, quantity: '1' }),
      {
        code: 'unprocessable',
        issues: [{ path: ['itemId'] }],
      },
    );
  });

  it('hands out unique, gapless numbers under concurrent creation', async () => {
    const w = await createFieldWorld(db());
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createWorkOrder(db(), { type: 'inspection', title: `Check ${i}`, customerId: w.customerId }),
      ),
    );
    const numbers = created.map((c) => Number(c.number.slice(3))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(6);
    expect((numbers[5] ?? 0) - (numbers[0] ?? 0)).toBe(5);
  });
});
