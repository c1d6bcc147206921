// The three jobs of the field day, each with its customer's contract and what its invoice must be. The
// expected amounts are worked out here from Tryton's list prices and the contract terms, independently of
// Fieldsync's billing engine, so the read-back of Tryton checks the whole chain.
import { Decimal } from 'decimal.js';
import { amount } from './tryton-readback.js';

export const LABOR_RATE = '80.00';
/** The technician's cost per hour (field-world.ts): what maintenance costs are booked at. */
export const TECHNICIAN_COST_RATE = '45.00';

/** Net of one line: quantity × price, minus a discount %, minus a covered %, each rounded to cents. */
export function net(quantity: string, price: string, discountPct = '0', coveredPct = '0'): string {
  const gross = new Decimal(quantity).mul(price).toDecimalPlaces(2);
  const base = gross.minus(gross.mul(discountPct).div(100).toDecimalPlaces(2));
  return amount(base.minus(base.mul(coveredPct).div(100).toDecimalPlaces(2)).toFixed(2));
}

/** Billed hours of labor (per started 15 minutes, at least 30: the default billing policy). */
export const hours = (minutes: number): string => new Decimal(minutes).div(60).toFixed(3);

export interface ExpectedLine {
  /** The Tryton product of a part line; labor lines have none. */
  sku: string | null;
  amount: string;
}

export interface JobSpec {
  name: 'covered' | 'expired' | 'discount';
  /** Index into the seeded Tryton parties. */
  party: number;
  costCenter: string;
  warrantyUntil?: string;
  contract: { number: string; terms: Record<string, unknown> };
  type: 'preventive' | 'corrective';
  laborMinutes: number;
  parts: [sku: string, quantity: string][];
  /** Tryton's invoice state after posting, and its lines. */
  invoice: (price: (sku: string) => string) => { state: string; lines: ExpectedLine[] };
}

const fullCover = { laborCoveredPct: '100', partsCoveredPct: '100' };

export const jobSpecs: JobSpec[] = [
  {
    // Preventive work fully covered by contract C-COVER: a zero invoice, which Tryton settles at posting.
    name: 'covered',
    party: 0,
    costCenter: 'CC-E2E-1',
    contract: { number: 'C-COVER', terms: { coverage: { preventive: fullCover } } },
    type: 'preventive',
    laborMinutes: 60,
    parts: [
      ['E2E-FLT', '2'],
      ['E2E-OIL', '1'],
    ],
    invoice: (price) => ({
      state: 'paid',
      lines: [
        { sku: null, amount: net(hours(60), LABOR_RATE, '0', '100') },
        { sku: 'E2E-FLT', amount: net('2', price('E2E-FLT'), '0', '100') },
        { sku: 'E2E-OIL', amount: net('1', price('E2E-OIL'), '0', '100') },
      ],
    }),
  },
  {
    // Corrective work (C-PREV covers preventive only) on a compressor whose warranty ended in 2022.
    name: 'expired',
    party: 1,
    costCenter: 'CC-E2E-1',
    warrantyUntil: '2022-12-31',
    contract: { number: 'C-PREV', terms: { coverage: { preventive: fullCover } } },
    type: 'corrective',
    laborMinutes: 90,
    parts: [
      ['E2E-BELT', '1'],
      ['E2E-FLT', '1'],
    ],
    invoice: (price) => ({
      state: 'posted',
      lines: [
        { sku: null, amount: net(hours(90), LABOR_RATE) },
        { sku: 'E2E-BELT', amount: net('1', price('E2E-BELT')) },
        { sku: 'E2E-FLT', amount: net('1', price('E2E-FLT')) },
      ],
    }),
  },
  {
    // C-DISC: 5 % off labor, 10 % off parts, nothing covered; 45 minutes bill as 0.75 h.
    name: 'discount',
    party: 2,
    costCenter: 'CC-E2E-2',
    contract: { number: 'C-DISC', terms: { discounts: { partsPct: '10', laborPct: '5' } } },
    type: 'corrective',
    laborMinutes: 45,
    parts: [
      ['E2E-OIL', '4'],
      ['E2E-BELT', '2'],
    ],
    invoice: (price) => ({
      state: 'posted',
      lines: [
        { sku: null, amount: net(hours(45), LABOR_RATE, '5') },
        { sku: 'E2E-OIL', amount: net('4', price('E2E-OIL'), '10') },
        { sku: 'E2E-BELT', amount: net('2', price('E2E-BELT'), '10') },
      ],
    }),
  },
];

/** The sum of the expected lines. */
export const totalOf = (lines: readonly ExpectedLine[]): string =>
  amount(lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0)).toFixed(2));

/** A job's maintenance cost: its labor at the technician's cost rate plus its parts at Tryton's cost price. */
export function maintenanceCost(spec: JobSpec, costPrice: (sku: string) => string): string {
  const labor = new Decimal(TECHNICIAN_COST_RATE).mul(spec.laborMinutes).div(60);
  const parts = spec.parts.reduce(
    (sum, [sku, qty]) => sum.plus(new Decimal(costPrice(sku)).mul(qty)),
    new Decimal(0),
  );
  return amount(labor.plus(parts).toFixed(2));
}
