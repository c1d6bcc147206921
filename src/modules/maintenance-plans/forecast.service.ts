import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { addDays, toDateString } from './calendar.js';
import type { DueItem, Skipped } from './due-items.js';
import { dueItems } from './due-items.js';

/** What generation would create for one plan, without writing: each due item and whether it exists. */
export async function forecastPlan(
  executor: Executor,
  planId: string,
  options: { horizonDays: number; asOf?: string },
): Promise<{ asOf: string; until: string; due: (DueItem & { generated: boolean })[]; skipped: Skipped[] }> {
  const db = queryable(executor);
  const plan = await db
    .selectFrom('maintenance_plans')
    .selectAll()
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw errors.notFound('maintenance plan', planId);
  const asOf = options.asOf ?? toDateString(new Date());
  const window = { asOf, until: addDays(asOf, options.horizonDays) };
  const skipped: Skipped[] = [];
  const items = await dueItems(executor, plan, window, skipped);
  const existing = new Set(
    items.length === 0
      ? []
      : (
          await db
            .selectFrom('maintenance_plan_occurrences')
            .select('due_key')
            .where('plan_id', '=', planId)
            .where(
              'due_key',
              'in',
              items.map((i) => i.dueKey),
            )
            .execute()
        ).map((r) => r.due_key),
  );
  return { ...window, due: items.map((i) => ({ ...i, generated: existing.has(i.dueKey) })), skipped };
}
