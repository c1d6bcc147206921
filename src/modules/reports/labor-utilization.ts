import { Decimal } from 'decimal.js';
import type { Technician } from '../technicians/index.js';
import { getTechnician, listTechnicians } from '../technicians/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import type { CsvColumn } from './csv.js';
import { forEachCompletedWorkOrder } from './completed-work-orders.js';
import { assertPeriod, countWorkingDays } from './period.js';
import type { LaborFilter, LaborRow } from './schemas.js';

const hours = (minutes: number) => new Decimal(minutes).div(60).toFixed(2);
const pct = (part: Decimal, whole: Decimal) => (whole.isZero() ? '0.0' : part.div(whole).mul(100).toFixed(1));

/**
 * Per technician: hours available (hoursPerDay × working days of the period, default 8 h Monday to
 * Friday, no holiday calendar), recorded (every labor entry on work orders completed in the period) and
 * billable (entries flagged billable). Region filters technicians by their region; customer and contract
 * filter the work orders (and so the recorded hours), never the availability. Every active technician of
 * the region is listed, plus archived ones that recorded hours.
 */
export async function laborUtilizationReport(executor: Executor, filter: LaborFilter): Promise<LaborRow[]> {
  assertPeriod(filter.from, filter.to);
  const recorded = new Map<string, { minutes: number; billable: number }>();
  await forEachCompletedWorkOrder(
    executor,
    filter.region ? { ...filter, region: undefined } : filter,
    (wo) => {
      for (const l of wo.labor) {
        const entry = recorded.get(l.technicianId) ?? { minutes: 0, billable: 0 };
        entry.minutes += l.durationMinutes;
        if (l.billable) entry.billable += l.durationMinutes;
        recorded.set(l.technicianId, entry);
      }
    },
  );
  const technicians = new Map<string, Technician>();
  let afterId: string | undefined;
  do {
    const page = await listTechnicians(
      executor,
      { status: 'active', ...(filter.region && { region: filter.region }) },
      { limit: 200, afterId },
    );
    for (const t of page.data) technicians.set(t.id, t);
    afterId = page.nextAfterId ?? undefined;
  } while (afterId);
  for (const id of recorded.keys()) {
    if (technicians.has(id)) continue;
    const t = await getTechnician(executor, id);
    if (!filter.region || t.region === filter.region) technicians.set(id, t);
  }
  const days = countWorkingDays(filter.from, filter.to, filter.workingDays);
  const available = new Decimal(filter.hoursPerDay).mul(days);
  const rows = [...technicians.values()].map((t): LaborRow => {
    const r = recorded.get(t.id) ?? { minutes: 0, billable: 0 };
    return {
      technicianId: t.id,
      technicianCode: t.code,
      technicianName: t.name,
      region: t.region,
      workingDays: days,
      availableHours: available.toFixed(2),
      recordedHours: hours(r.minutes),
      billableHours: hours(r.billable),
      nonBillableHours: hours(r.minutes - r.billable),
      recordedPct: pct(new Decimal(r.minutes).div(60), available),
      billablePct: pct(new Decimal(r.billable).div(60), available),
    };
  });
  return rows.sort((a, b) => a.technicianCode.localeCompare(b.technicianCode));
}

export const laborColumns: CsvColumn<LaborRow>[] = [
  { key: 'technicianId', header: 'technician_id' },
  { key: 'technicianCode', header: 'technician_code' },
  { key: 'technicianName', header: 'technician_name' },
  { key: 'region', header: 'region' },
  { key: 'workingDays', header: 'working_days', numeric: true },
  { key: 'availableHours', header: 'available_hours', numeric: true },
  { key: 'recordedHours', header: 'recorded_hours', numeric: true },
  { key: 'billableHours', header: 'billable_hours', numeric: true },
  { key: 'nonBillableHours', header: 'non_billable_hours', numeric: true },
  { key: 'recordedPct', header: 'recorded_pct', numeric: true },
  { key: 'billablePct', header: 'billable_pct', numeric: true },
];
