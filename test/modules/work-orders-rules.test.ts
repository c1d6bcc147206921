import { describe, expect, it } from 'vitest';
import type { ChecklistItem, WorkOrder, WorkOrderStatus } from '../../src/modules/work-orders/index.js';
import {
  allowedTransitions,
  assertTransition,
  buildServiceReport,
  canonicalJson,
  canTransition,
  escapeHtml,
  formatWorkOrderNumber,
  renderReportPage,
  validateAnswers,
  workOrderStatuses,
} from '../../src/modules/work-orders/index.js';
import { slaDueTimes } from '../../src/modules/work-orders/sla.js';
import { AppError } from '../../src/shared/errors/index.js';

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('work-order status machine', () => {
  const expected: Record<WorkOrderStatus, WorkOrderStatus[]> = {
    draft: ['scheduled', 'cancelled'],
    scheduled: ['in_progress', 'cancelled'],
    in_progress: ['completed', 'cancelled'],
    completed: ['closed'],
    closed: [],
    cancelled: [],
  };

  it('is exactly the documented table', () => {
    expect(allowedTransitions).toEqual(expected);
  });

  for (const from of workOrderStatuses) {
    for (const to of workOrderStatuses) {
      const allowed = expected[from].includes(to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused with 409 naming the allowed targets'}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
        if (allowed) {
          expect(() => assertTransition('wo-1', from, to)).not.toThrow();
          return;
        }
        const error = caught(() => assertTransition('wo-1', from, to));
        expect(error.code).toBe('conflict');
        expect(error.details).toEqual({
          status: from,
          requestedStatus: to,
          allowedTransitions: expected[from],
        });
      });
    }
  }

  it('can reach every status from draft and ends only in closed or cancelled', () => {
    const seen = new Set<WorkOrderStatus>(['draft']);
    const queue: WorkOrderStatus[] = ['draft'];
    while (queue.length > 0) {
      const next = queue.shift() as WorkOrderStatus;
      for (const to of allowedTransitions[next]) if (!seen.has(to) && seen.add(to)) queue.push(to);
    }
    expect([...seen].sort()).toEqual([...workOrderStatuses].sort());
    expect(workOrderStatuses.filter((s) => allowedTransitions[s].length === 0).sort()).toEqual([
      'cancelled',
      'closed',
    ]);
  });
});

describe('checklist answer validation', () => {
  const items: ChecklistItem[] = [
    { key: 'belt_ok', label: 'Belt OK', kind: 'pass_fail', required: true },
    { key: 'pressure', label: 'Pressure', kind: 'number', required: true, min: 6, max: 10, unit: 'bar' },
    { key: 'remarks', label: 'Remarks', kind: 'text', required: false },
    { key: 'photo', label: 'Photo of the plate', kind: 'photo', required: false },
  ];

  it('accepts valid answers and trims text', () => {
    const accepted = validateAnswers(items, [
      { key: 'belt_ok', value: 'pass' },
      { key: 'pressure', value: 6 },
      { key: 'remarks', value: '  fine  ' },
      { key: 'photo', value: 's3://bucket/plate.jpg' },
    ]);
    expect(accepted).toEqual([
      { key: 'belt_ok', value: 'pass' },
      { key: 'pressure', value: 6 },
      { key: 'remarks', value: 'fine' },
      { key: 'photo', value: 's3://bucket/plate.jpg' },
    ]);
  });

  it('a number outside its limits is a 422 naming the key, limits and value', () => {
    const error = caught(() => validateAnswers(items, [{ key: 'pressure', value: 10.5 }]));
    expect(error.code).toBe('unprocessable');
    expect(error.details.outOfLimits).toEqual([
      { key: 'pressure', value: 10.5, min: 6, max: 10, unit: 'bar' },
    ]);
    expect(error.issues[0]?.path).toEqual(['answers', 0, 'value']);
    expect(error.message).toContain('pressure');
  });

  it('unknown keys, wrong kinds, inline photos and repeated keys are 400s listing each', () => {
    const error = caught(() =>
      validateAnswers(items, [
        { key: 'nope', value: 'pass' },
        { key: 'belt_ok', value: 'yes' },
        { key: 'pressure', value: '7' },
        { key: 'photo', value: 'data:image/png;base64,AAAA' },
        { key: 'belt_ok', value: 'fail' },
      ]),
    );
    expect(error.code).toBe('validation');
    expect(error.issues.map((i) => i.path)).toEqual([
      ['answers', 0, 'key'],
      ['answers', 1, 'value'],
      ['answers', 2, 'value'],
      ['answers', 3, 'value'],
      ['answers', 4, 'key'],
    ]);
  });

  it('null clears an answer', () => {
    expect(validateAnswers(items, [{ key: 'remarks', value: null }])).toEqual([
      { key: 'remarks', value: null },
    ]);
  });
});

describe('canonical JSON and the service report', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  const wo = {
    id: 'wo-1',
    number: 'WO-000001',
    type: 'corrective',
    status: 'in_progress',
    priority: 'normal',
    title: 'Leak <script>alert(1)</script>',
    description: null,
    customerId: 'c-1',
    customerName: 'Acme & "Sons"',
    siteId: null,
    siteLabel: null,
    region: null,
    assets: [],
    contractId: null,
    contractVersionId: null,
    planId: null,
    planDueKey: null,
    dueDate: null,
    reportedAt: '2025-01-01T00:00:00.000Z',
    sla: null,
    plannedStart: null,
    plannedEnd: null,
    technicianId: null,
    technicianName: null,
    checklist: null,
    answers: [],
    labor: [],
    parts: [],
    signature: null,
    startedAt: '2025-01-01T08:00:00.000Z',
    completedAt: null,
    closedAt: null,
    cancelledAt: null,
    cancelReason: null,
    reportHash: null,
    revision: 0,
    externalRefs: {},
    version: 3,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  } satisfies WorkOrder;

  it('hashes the executed content only: version, status and timestamps of bookkeeping do not change it', () => {
    const a = buildServiceReport(wo);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      buildServiceReport({ ...wo, version: 9, status: 'completed', completedAt: '2025-01-02T00:00:00.000Z' })
        .hash,
    ).toBe(a.hash);
    expect(buildServiceReport({ ...wo, title: 'Other' }).hash).not.toBe(a.hash);
  });

  it('renders printable HTML with every customer value escaped', () => {
    const html = renderReportPage({
      report: buildServiceReport(wo),
      status: 'in_progress',
      completedAt: null,
      signature: null,
    });
    expect(html).toContain('Leak &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Acme &amp; &quot;Sons&quot;');
    expect(html).not.toContain('<script>');
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });
});

describe('numbers and SLA clocks', () => {
  it('formats human work-order numbers', () => {
    expect(formatWorkOrderNumber(123)).toBe('WO-000123');
    expect(formatWorkOrderNumber(1_234_567)).toBe('WO-1234567');
  });

  it('adds SLA hours to the reported time', () => {
    expect(slaDueTimes('2025-03-01T22:00:00.000Z', { responseHours: 4, resolutionHours: null })).toEqual({
      responseHours: 4,
      resolutionHours: null,
      responseDueAt: '2025-03-02T02:00:00.000Z',
      resolutionDueAt: null,
    });
  });
});
