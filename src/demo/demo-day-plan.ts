import type { WorkOrderPriority, WorkOrderType } from '../modules/work-orders/index.js';
import { errors } from '../shared/errors/index.js';

// The plan of a simulated technician day: four visits by the demo technicians, with the labor, van parts,
// checklist answers and signer of each, and the times they happen at.

/** A signature pad's smallest honest image: a 1×1 PNG. */
export const SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export interface Visit {
  slot: number;
  technician: 'T-ANNA' | 'T-BRUNO';
  type: WorkOrderType;
  priority: WorkOrderPriority;
  customer: string;
  /** An existing asset's serial, or `new` for the boiler installed today. */
  asset: string;
  contract?: string;
  title: string;
  labor: { laborType: 'normal' | 'travel'; minutes: number }[];
  parts: { sku: string; quantity: string }[];
  answers?: { key: string; value: string | number }[];
  signer: string;
}

export const visits: readonly Visit[] = [
  {
    slot: 0,
    technician: 'T-ANNA',
    type: 'preventive',
    priority: 'normal',
    customer: 'C-1001',
    asset: 'SN-X15-0001',
    contract: 'K-2024-001',
    title: 'Quarterly compressor service',
    labor: [
      { laborType: 'travel', minutes: 20 },
      { laborType: 'normal', minutes: 85 },
    ],
    parts: [
      { sku: 'FILTER-AIR', quantity: '2' },
      { sku: 'OIL-COMP', quantity: '1.5' },
    ],
    answers: [
      { key: 'oil_level_ok', value: 'pass' },
      { key: 'pressure_bar', value: 7.8 },
      { key: 'belt_ok', value: 'pass' },
      { key: 'remarks', value: 'Filter replaced, oil topped up' },
    ],
    signer: 'Jan Peeters',
  },
  {
    slot: 1,
    technician: 'T-ANNA',
    type: 'corrective',
    priority: 'high',
    customer: 'C-1003',
    asset: 'SN-X15-0002',
    title: 'Compressor trips on overload',
    labor: [{ laborType: 'normal', minutes: 60 }],
    parts: [{ sku: 'BELT-V', quantity: '1' }],
    signer: 'Sofie Maes',
  },
  {
    slot: 2,
    technician: 'T-BRUNO',
    type: 'corrective',
    priority: 'urgent',
    customer: 'C-1002',
    asset: 'SN-G24-0001',
    contract: 'K-2024-002',
    title: 'No hot water in the main building',
    labor: [{ laborType: 'normal', minutes: 75 }],
    parts: [{ sku: 'PUMP-COND', quantity: '1' }],
    signer: 'Dr. Lien Claes',
  },
  {
    slot: 3,
    technician: 'T-BRUNO',
    type: 'installation',
    priority: 'normal',
    customer: 'C-1004',
    asset: 'new',
    title: 'Install a second boiler',
    labor: [
      { laborType: 'travel', minutes: 30 },
      { laborType: 'normal', minutes: 120 },
    ],
    parts: [],
    signer: 'Pieter Bakker',
  },
];

const MINUTE = 60_000;

/** The working day's timeline: visits every 2¼ h ending before `end` (now, for today). */
export function timeline(
  date: string,
  now: Date,
): (slot: number) => {
  planned: [string, string];
  started: string;
  signed: string;
  completed: string;
  reported: string;
} {
  const today = now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw errors.validation(`--date must be a day as YYYY-MM-DD, got "${date}"`, [
      { path: ['date'], message: 'YYYY-MM-DD' },
    ]);
  }
  if (date > today)
    throw errors.validation(`${date} is in the future; simulate today or an earlier day`, [
      { path: ['date'], message: 'not in the future' },
    ]);
  const end = date === today ? now.getTime() - 2 * MINUTE : Date.parse(`${date}T17:00:00Z`);
  const dayStart = end - 9 * 60 * MINUTE;
  const at = (ms: number) => new Date(ms).toISOString();
  return (slot) => {
    const s = dayStart + slot * 135 * MINUTE;
    return {
      planned: [at(s), at(s + 120 * MINUTE)],
      started: at(s + 10 * MINUTE),
      signed: at(s + 110 * MINUTE),
      completed: at(s + 115 * MINUTE),
      reported: at(dayStart - 120 * MINUTE),
    };
  };
}
