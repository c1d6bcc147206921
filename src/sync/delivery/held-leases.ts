import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import { inList } from './json-params.js';
import { heldIds } from './lease-sqlite.js';

// On SQLite a leased delivery stays `pending` and its lease is a row of `sync_leases` (lease-sqlite.ts).
// These readers give the views that show work in flight the same answer on both engines.

/** Deliveries held by a lease, per subscriber (SQLite; PostgreSQL counts its `in_flight` rows instead). */
export async function heldBySubscriber(db: Kysely<Database>): Promise<Map<string, number>> {
  if (engineOf(db) === 'postgres') return new Map();
  const rows = await sql<{ subscriber: string; n: number }>`
    select subscriber, sum(json_array_length(delivery_ids)) as n from sync_leases group by subscriber`.execute(
    db,
  );
  return new Map(rows.rows.map((r) => [r.subscriber, Number(r.n)]));
}

/** Which of these deliveries a SQLite lease holds now (always none on PostgreSQL, whose rows say so). */
export async function heldAmong(db: Kysely<Database>, ids: readonly number[]): Promise<Set<number>> {
  if (engineOf(db) === 'postgres' || ids.length === 0) return new Set();
  const rows = await sql<{ value: number }>`${heldIds(inList(db, 'j.value', ids))}`.execute(db);
  return new Set(rows.rows.map((r) => Number(r.value)));
}
