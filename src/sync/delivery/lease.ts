import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import { leaseOnPostgres, reclaimOnPostgres, releaseOnPostgres } from './lease-postgres.js';
import type { LeasedDelivery, LeaseOptions } from './lease-query.js';
import { leaseWindow } from './lease-query.js';
import { leaseOnSqlite, reclaimOnSqlite, releaseOnSqlite } from './lease-sqlite.js';

export type { DeliveryRow, LeasedDelivery, LeaseOptions } from './lease-query.js';

/**
 * Claims up to `options.limit` due deliveries of one subscriber for `options.owner`, for
 * `options.leaseMs` (see `chosenIds` for which are due and why per-subject order holds). PostgreSQL
 * leases the rows themselves so several hubs share the work (lease-postgres.ts); SQLite, with one
 * dispatcher per file, records a lease per batch instead (lease-sqlite.ts). Either way leasing counts as
 * an attempt, so an event that crashes the hub every time still uses up its attempts.
 */
export async function leaseDeliveries(
  db: Kysely<Database>,
  options: LeaseOptions,
): Promise<LeasedDelivery[]> {
  const { now, expires } = leaseWindow(options);
  return engineOf(db) === 'postgres'
    ? leaseOnPostgres(db, options, now, expires)
    : leaseOnSqlite(db, options, now, expires);
}

/**
 * Gives the deliveries of expired leases (their hub died or hung) back to the queue, their attempt
 * counted. Kept apart from the lease query so that one stays an index scan in id order; the dispatcher
 * runs it a few times per lease period. Returns the deliveries freed.
 */
export async function reclaimExpiredLeases(
  db: Kysely<Database>,
  subscriber: string,
  now = new Date(),
): Promise<number> {
  const at = now.toISOString();
  return engineOf(db) === 'postgres'
    ? reclaimOnPostgres(db, subscriber, at)
    : reclaimOnSqlite(db, subscriber, at);
}

/**
 * Gives back a hub's leases at shutdown so another hub need not wait for them to expire. The attempt the
 * lease counted stays counted: the dispatcher stops only after its batches finished, so a lease still held
 * here is one whose acknowledgement failed, and the ERP may well have seen that batch. Its next attempt is
 * then not a first one, and connectors look it up before creating (`WriteOp.firstAttempt`).
 */
export async function releaseLeases(db: Kysely<Database>, owner: string): Promise<number> {
  return engineOf(db) === 'postgres' ? releaseOnPostgres(db, owner) : releaseOnSqlite(db, owner);
}
