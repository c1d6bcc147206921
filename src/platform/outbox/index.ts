export type { CloudEvent, NewEvent } from './event.js';
export { readEvents } from './read-events.js';
export type { ReadEventsOptions } from './read-events.js';
export { localIdOfSubject } from './subject.js';
export { isTypePattern, setSubscriptions } from './subscriptions.js';
export type { OutboxDeliveriesTable, OutboxTables } from './tables.js';
export { inTransaction, outboxSignal, queryable } from './unit-of-work.js';
export type { Db, Executor, UnitOfWork } from './unit-of-work.js';
