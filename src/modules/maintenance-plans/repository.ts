import type { Selectable } from 'kysely';
import { milliToQuantity } from '../../shared/quantity.js';
import type { WorkOrderPriority, WorkOrderType } from '../work-orders/index.js';
import type { IntervalUnit } from './calendar.js';
import type { MaintenancePlan } from './schemas.js';
import type { MaintenancePlansTable } from './tables.js';

export type PlanRow = Selectable<MaintenancePlansTable>;

export function planFromRow(row: PlanRow): MaintenancePlan {
  const trigger: MaintenancePlan['trigger'] =
    row.trigger_kind === 'meter'
      ? {
          kind: 'meter',
          everyHours: milliToQuantity(row.meter_interval_milli ?? 0),
          startHours: row.meter_start_milli === null ? null : milliToQuantity(row.meter_start_milli),
        }
      : {
          kind: 'calendar',
          every: Number(row.interval_count ?? 1),
          unit: (row.interval_unit ?? 'month') as IntervalUnit,
        };
  return {
    id: row.id,
    name: row.name,
    scope: row.scope === 'contract' ? 'contract' : 'asset',
    assetId: row.asset_id,
    contractId: row.contract_id,
    customerId: row.customer_id,
    trigger,
    startDate: row.start_date,
    endDate: row.end_date,
    workOrder: {
      type: row.wo_type as WorkOrderType,
      priority: row.wo_priority as WorkOrderPriority,
      title: row.wo_title,
      description: row.wo_description,
      checklistTemplateId: row.checklist_template_id,
    },
    status: row.status as MaintenancePlan['status'],
    lastGeneratedAt: row.last_generated_at,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
