import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { restoreCell } from '../../src/connectors/file-exchange/index.js';
import { approveDocument, billWorkOrder, creditDocument } from '../../src/modules/billing/index.js';
import type { BillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import { describeEachHub } from '../support/test-hub.js';

const today = () => new Date().toISOString().slice(0, 10);
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click"), Inc';

describeEachHub('reports API', (hub) => {
  let w: BillingWorld;

  beforeAll(async () => {
    const db = hub().hub.handle.db;
    w = await createBillingWorld(db, { customerName: FORMULA_NAME, region: `@risk-${Date.now()}` });
    const contractId = await createBillingContract(db, w, [
      {
        validFrom: '2025-01-01',
        coverage: { corrective: { laborCoveredPct: '50', partsCoveredPct: '0' } },
        discounts: { partsPct: '10' },
      },
    ]);
    const wo = await completedWorkOrder(db, w, {
      contractId,
      completedAt: '2025-03-10T12:00:00Z',
      labor: [{ minutes: 60 }],
      parts: [{ itemId: w.items.belt, quantity: '2' }],
    });
    const { document } = await billWorkOrder(db, wo.id);
    await approveDocument(db, document.id);
    await creditDocument(db, document.id, { reason: 'test' });
  });

  it('exports CSV with formula-looking text neutralised and negative amounts kept as numbers', async () => {
    const h = hub();
    const res = await h.call(
      'GET',
      `/v1/reports/service-revenue?from=${today()}&to=${today()}&customerId=${w.customerId}&format=csv`,
      {
        token: h.tokens.read,
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="service-revenue-${today()}-${today()}.csv"`,
    );
    const rows = parse(res.text, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([
      'customer_id',
      'customer_name',
      'contract_id',
      'contract_number',
      'currency',
      'documents',
      'work_order_revenue',
      'recurring_fee_revenue',
      'credits',
      'gross',
      'discount',
      'covered',
      'net_revenue',
    ]);
    expect(rows).toHaveLength(2);
    const row = rows[1] ?? [];
    expect(row[1]).toBe(`'${FORMULA_NAME}`);
    expect(restoreCell(row[1] ?? '')).toBe(FORMULA_NAME);
    expect(row.slice(5)).toEqual([
      '1',
      '-108.00',
      '0.00',
      '-108.00',
      '-152.00',
      '-8.00',
      '-36.00',
      '-108.00',
    ]);
    expect(res.text).toContain(',-108.00\r\n');
    for (const cell of rows.flat()) {
      expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell))).toBe(false);
    }
  });

  it('serves the same figures as JSON with the filters echoed', async () => {
    const h = hub();
    const res = await h.call(
      'GET',
      `/v1/reports/service-revenue?from=2025-03-01&to=2025-03-31&customerId=${w.customerId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      report: 'service-revenue',
      from: '2025-03-01',
      to: '2025-03-31',
      filters: { customerId: w.customerId },
      rows: [{ customerName: FORMULA_NAME, documents: 1, workOrderRevenue: '108.00', netRevenue: '108.00' }],
    });
  });

  it('neutralises a region that starts with @ in the consumption CSV', async () => {
    const h = hub();
    const res = await h.call(
      'GET',
      `/v1/reports/inventory-consumption?from=${today()}&to=${today()}&region=${encodeURIComponent(w.region)}&format=csv`,
    );
    expect(res.status).toBe(200);
    const rows = parse(res.text) as string[][];
    expect(rows.slice(1).map((r) => [r[1], r[7], r[10], r[12]])).toEqual([
      [`BELT-${w.tag}`, `'${w.region}`, '2', '40.00'],
    ]);
  });

  it('labor utilization takes hoursPerDay and workingDays; contract profitability is served too', async () => {
    const h = hub();
    const res = await h.call(
      'GET',
      `/v1/reports/labor-utilization?from=2025-03-10&to=2025-03-16&region=${encodeURIComponent(w.region)}&hoursPerDay=7.5&workingDays=1,2,3`,
    );
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({
        technicianId: w.technicianId,
        workingDays: 3,
        availableHours: '22.50',
        recordedHours: '1.00',
        billablePct: '4.4',
      }),
    ]);
    const profit = await h.call(
      'GET',
      `/v1/reports/contract-profitability?from=2025-03-01&to=2025-03-31&customerId=${w.customerId}`,
    );
    expect(profit.body.rows).toEqual([
      expect.objectContaining({
        billed: '108.00',
        partsCost: '40.00',
        laborCost: '45.00',
        margin: '23.00',
        workOrders: 1,
      }),
    ]);
  });

  it('refuses bad queries with 400 listing each path, and unauthenticated calls with 401', async () => {
    const h = hub();
    const backwards = await h.call('GET', '/v1/reports/service-revenue?from=2025-03-31&to=2025-03-01');
    expect(backwards.status).toBe(400);
    const bad = await h.call('GET', '/v1/reports/inventory-consumption?from=2025-13-01&format=xml');
    expect(bad.status).toBe(400);
    expect((bad.body.errors ?? []).map((e) => e.path).sort()).toEqual([
      '/query/format',
      '/query/from',
      '/query/to',
    ]);
    const labor = await h.call(
      'GET',
      '/v1/reports/labor-utilization?from=2025-03-01&to=2025-03-31&hoursPerDay=25&workingDays=0,8',
    );
    expect((labor.body.errors ?? []).map((e) => e.path).sort()).toEqual([
      '/query/hoursPerDay',
      '/query/workingDays',
    ]);
    expect(
      (
        await h.call('GET', '/v1/reports/contract-profitability?from=2025-03-01&to=2025-03-31', {
          token: null,
        })
      ).status,
    ).toBe(401);
  });
});
