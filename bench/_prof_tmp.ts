import { addLabor, addPart, answerChecklist, completeWorkOrder, getServiceReport, signWorkOrder, startWorkOrder, createWorkOrder, scheduleWorkOrder } from '../src/modules/work-orders/index.js';
import { createFieldWorld, TINY_PNG_BASE64 } from '../src/modules/work-orders/testing/field-fixtures.js';
import { createTestDatabase } from '../test/support/databases.js';
const t = await createTestDatabase('sqlite');
const db = t.handle.db;
const w = await createFieldWorld(db, { vanStock: 10000, pumpSerials: 0 });
const times: Record<string, number> = {};
const time = async (k: string, f: () => Promise<unknown>) => { const s = performance.now(); await f(); times[k] = (times[k] ?? 0) + performance.now() - s; };
const HOUR = 3600000;
for (let i = 0; i < 100; i++) {
  let id = '';
  await time('create', async () => { id = (await createWorkOrder(db, { type: 'corrective', title: 'x', customerId: w.customerId, assetIds: [w.assetId], contractId: w.contractId })).id; });
  await time('schedule', () => scheduleWorkOrder(db, id, { technicianId: w.technicianId, plannedStart: new Date(Date.now() - 8 * HOUR).toISOString(), plannedEnd: new Date(Date.now() - 6 * HOUR).toISOString() }));
  await time('start', () => startWorkOrder(db, id, new Date(Date.now() - 6 * HOUR).toISOString()));
  await time('labor', () => addLabor(db, id, { durationMinutes: 30 }));
  await time('part', () => addPart(db, id, { itemId: w.items.filter, quantity: '1' }));
  await time('report', () => getServiceReport(db, id));
  await time('complete', () => completeWorkOrder(db, id).catch(() => null));
}
for (const [k, v] of Object.entries(times)) console.log(k, (v / 100).toFixed(2), 'ms');
await t.drop();
