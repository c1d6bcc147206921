import type { ConnectorManifest, EntityManifest } from '../sdk/connector.js';

export const TRYTON_ENTITIES = [
  'party',
  'product',
  'location',
  'stock_move',
  'stock_receipt',
  'stock_level',
  'inventory',
  'invoice',
  'analytic_line',
  'asset',
  'asset_depreciation',
  'asset_purchase',
  'timesheet_line',
] as const;
export type TrytonEntity = (typeof TRYTON_ENTITIES)[number];

/** Largest writeBatch and readChanges page; one create RPC carries the whole batch. */
export const TRYTON_MAX_BATCH = 500;

const readOnly = (keyFields: readonly string[]): EntityManifest => ({
  operations: ['readChanges', 'readAll'],
  writeOps: [],
  keyFields,
});
const readWrite = (writeOps: readonly string[], keyFields: readonly string[]): EntityManifest => ({
  operations: ['readChanges', 'readAll', 'writeBatch'],
  writeOps,
  keyFields,
});

/**
 * What each entity really supports. Writes exist only where Fieldsync is the source of truth (parties it
 * creates, stock it consumes, invoices it bills, costs and labor it books, assets it disposes of); products,
 * locations and receipts are the ERP's and are read only. `stock_level` is a computed snapshot (quantity per
 * product × location) with no change stamp of its own: `readAll` is the snapshot (reconciliation), and
 * `readChanges` follows the done stock moves (the pairs they touched, with their current quantity).
 */
export const trytonManifest: ConnectorManifest<TrytonEntity> = {
  name: 'tryton',
  version: '1.0.0',
  entities: {
    party: { ...readWrite(['create', 'update', 'upsert'], ['id', 'identifier']), guardedUpdates: true },
    product: readOnly(['id', 'code']),
    location: readOnly(['id', 'code']),
    stock_move: readWrite(['create'], ['id']),
    stock_receipt: readOnly(['id']),
    stock_level: { operations: ['readChanges', 'readAll'], writeOps: [], keyFields: ['product', 'location'] },
    inventory: readWrite(['create'], ['id']),
    invoice: readWrite(['create'], ['id', 'reference']),
    analytic_line: readWrite(['create'], ['id']),
    asset: readWrite(['dispose'], ['id', 'number']),
    asset_depreciation: readOnly(['id']),
    asset_purchase: readOnly(['id', 'number']),
    timesheet_line: readWrite(['create'], ['id']),
  },
  capabilities: { incrementalRead: true, nativeIdempotency: false, referenceLookup: true },
  maxBatchSize: TRYTON_MAX_BATCH,
  // An upper bound for flow config; the client's maxInFlight (default 1, SQLite) is what Tryton sees.
  maxConcurrency: 8,
};
