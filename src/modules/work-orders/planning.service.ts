import { z } from '@hono/zod-openapi';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { parseInput } from '../../shared/parse-input.js';
import { hydrate } from './repository.js';
import type { WorkOrder } from './schemas.js';
import { MAX_PLANNED_WINDOW_DAYS, workOrderSchema } from './schemas.js';

export const planningQuerySchema = z.object({
  date: z.iso.date().openapi({ description: 'The day (UTC) whose planned work to show' }),
  technicianId: z.string().min(1).max(64).optional(),
  region: z.string().min(1).max(80).optional().openapi({ description: "The work order site's region" }),
  includeCancelled: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type PlanningQuery = z.input<typeof planningQuerySchema>;

export const planningViewSchema = z
  .object({
    date: z.string(),
    technicians: z.array(
      z.object({
        technicianId: z.string(),
        technicianName: z.string().nullable(),
        plannedMinutes: z.number().int(),
        workOrders: z.array(workOrderSchema),
      }),
    ),
  })
  .openapi('PlanningView');
export type PlanningView = z.infer<typeof planningViewSchema>;

const DAY_MS = 86_400_000;
const MAX_ROWS = 5000;

/**
 * Work planned on one UTC day, grouped by technician: every work order whose planned window overlaps
 * [date 00:00, date+1 00:00). Windows are at most MAX_PLANNED_WINDOW_DAYS long, which bounds the index
 * range scan on planned_start from below.
 */
export async function planningView(executor: Executor, raw: PlanningQuery): Promise<PlanningView> {
  const query = parseInput(planningQuerySchema, raw);
  const dayStart = new Date(`${query.date}T00:00:00.000Z`);
  const dayEnd = new Date(dayStart.getTime() + DAY_MS).toISOString();
  const earliest = new Date(dayStart.getTime() - MAX_PLANNED_WINDOW_DAYS * DAY_MS).toISOString();
  const db = queryable(executor);
  let select = db
    .selectFrom('work_orders')
    .selectAll()
    .where('planned_start', '>=', earliest)
    .where('planned_start', '<', dayEnd)
    .where('planned_end', '>', dayStart.toISOString())
    .orderBy('planned_start')
    .orderBy('id')
    .limit(MAX_ROWS);
  if (query.technicianId) select = select.where('technician_id', '=', query.technicianId);
  if (query.region) select = select.where('region', '=', query.region);
  if (!query.includeCancelled) select = select.where('status', '!=', 'cancelled');
  const workOrders = await hydrate(db, await select.execute());
  const byTechnician = new Map<string, WorkOrder[]>();
  for (const wo of workOrders) {
    const key = wo.technicianId ?? '';
    byTechnician.set(key, [...(byTechnician.get(key) ?? []), wo]);
  }
  const overlapMinutes = (wo: WorkOrder) => {
    const start = Math.max(Date.parse(wo.plannedStart ?? ''), dayStart.getTime());
    const end = Math.min(Date.parse(wo.plannedEnd ?? ''), Date.parse(dayEnd));
    return Math.max(0, Math.round((end - start) / 60_000));
  };
  return {
    date: query.date,
    technicians: [...byTechnician.entries()]
      .map(([technicianId, list]) => ({
        technicianId,
        technicianName: list[0]?.technicianName ?? null,
        plannedMinutes: list.reduce((sum, wo) => sum + overlapMinutes(wo), 0),
        workOrders: list,
      }))
      .sort(
        (a, b) =>
          (a.technicianName ?? '').localeCompare(b.technicianName ?? '') ||
          a.technicianId.localeCompare(b.technicianId),
      ),
  };
}
