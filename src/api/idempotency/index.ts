export { idempotency } from './idempotency-middleware.js';
export type { IdempotencyTables } from './tables.js';
