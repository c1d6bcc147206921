import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { parse } from 'yaml';
import type { Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import type { LoadedFlowConfig } from '../../src/sync/flows/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { configFor } from './support.js';

const examplePath = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));

/** The example flow config pointed at a harness server, with only the named flows enabled. */
export function exampleWith(
  tryton: TrytonHandle,
  flows: readonly string[],
  overrides: Parameters<typeof configFor>[1] = {},
): LoadedFlowConfig {
  const raw = parse(readFileSync(examplePath, 'utf8')) as {
    connectors: { tryton: { config: Record<string, unknown> } };
    flows: { name: string; enabled?: boolean }[];
  };
  raw.connectors.tryton.config = {
    ...raw.connectors.tryton.config,
    ...configFor(tryton, { acknowledgeWarnings: ['stock.move.do'], ...overrides }),
  };
  for (const flow of raw.flows) flow.enabled = flows.includes(flow.name);
  return validateFlowConfig(raw);
}

const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

/** A sync engine running only the named example flows against `tryton`. */
export function engineWith(
  db: Kysely<Database>,
  tryton: TrytonHandle,
  flows: readonly string[],
  overrides: Parameters<typeof configFor>[1] = {},
): SyncEngine {
  return new SyncEngine({
    db,
    logger: quiet(),
    flowConfig: exampleWith(tryton, flows, overrides),
    pollMs: 50,
    leaseMs: 60_000,
  });
}

/**
 * Waits (bounded) until no delivery of `flow` is pending or in flight, then returns the attempts that did
 * not deliver, as text: an empty list means everything reached Tryton.
 */
export async function settle(db: Kysely<Database>, flow: string, timeoutMs = 60_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await db
      .selectFrom('outbox_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscriber', '=', `flow:${flow}`)
      .where('status', 'in', ['pending', 'in_flight'])
      .executeTakeFirstOrThrow();
    if (Number(open.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const failed = await db
    .selectFrom('sync_attempts')
    .select(['flow', 'error_class', 'error_message'])
    .where('flow', '=', flow)
    .where('outcome', '!=', 'delivered')
    .execute();
  return failed.map((d) => `${d.flow}: ${d.error_class}: ${d.error_message}`);
}

/** Unique enough per test run: Tryton codes and SKUs must not collide across tests of one server. */
export const runTag = () => Math.random().toString(36).slice(2, 8).toUpperCase();

/**
 * Delivers every event of `flow` again, as after a crash between Tryton's answer and our acknowledgement:
 * the deliveries go back to pending with the same idempotency keys. Returns how many were re-sent.
 */
export async function resendAll(db: Kysely<Database>, flow: string): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set({
      status: 'pending',
      next_attempt_at: new Date().toISOString(),
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('subscriber', '=', `flow:${flow}`)
    .where('status', '=', 'delivered')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
