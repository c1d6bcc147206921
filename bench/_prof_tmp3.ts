import { addLabor, createWorkOrder, scheduleWorkOrder, startWorkOrder, transitionWorkOrder } from '../src/modules/work-orders/index.js';
import { createFieldWorld } from '../src/modules/work-orders/testing/field-fixtures.js';
import { createTestDatabase } from '../test/support/databases.js';
const t = await createTestDatabase('sqlite');
const db = t.handle.db;
const w = await createFieldWorld(db, { vanStock: 10000, pumpSerials: 0 });
const HOUR = 3600000;
const ids: string[] = [];
for (let i = 0; i < 300; i++) {
  const id = (await createWorkOrder(db, { type: 'corrective', title: 'x', customerId: w.customerId })).id;
  await scheduleWorkOrder(db, id, { technicianId: w.technicianId, plannedStart: new Date(Date.now() - 8 * HOUR).toISOString(), plannedEnd: new Date(Date.now() - 6 * HOUR).toISOString() });
  ids.push(id);
}
const s = performance.now();
for (const id of ids) { await startWorkOrder(db, id); }
console.log('start', ((performance.now() - s) / ids.length).toFixed(3), 'ms');
const s2 = performance.now();
for (const id of ids) { await transitionWorkOrder(db, id, { to: 'cancelled' }); }
console.log('cancel', ((performance.now() - s2) / ids.length).toFixed(3), 'ms');
await t.drop();
