import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import type { ApiEnv } from '../../api/index.js';
import { createRouter, problemResponses, requireScope } from '../../api/index.js';
import { contractProfitabilityReport, profitabilityColumns } from './contract-profitability.js';
import type { CsvColumn } from './csv.js';
import { toCsv } from './csv.js';
import { consumptionColumns, inventoryConsumptionReport } from './inventory-consumption.js';
import { laborColumns, laborUtilizationReport } from './labor-utilization.js';
import {
  consumptionRowSchema,
  laborQuerySchema,
  laborRowSchema,
  profitabilityRowSchema,
  reportEnvelope,
  reportQuerySchema,
  serviceRevenueRowSchema,
} from './schemas.js';
import type { ReportFormat } from './schemas.js';
import { serviceRevenueColumns, serviceRevenueReport } from './service-revenue.js';

const tags = ['reports'];

function respond<T extends object>(
  c: Context<ApiEnv>,
  report: string,
  query: { from: string; to: string; format: ReportFormat } & Record<string, unknown>,
  rows: T[],
  columns: readonly CsvColumn<T>[],
) {
  const { format, from, to, ...filters } = query;
  if (format === 'csv') {
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${report}-${from}-${to}.csv"`);
    return c.body(toCsv(columns, rows), 200);
  }
  return c.json({ report, from, to, filters, rows }, 200);
}

const ok = (name: string, row: z.ZodType) => ({
  200: {
    description: 'The report (JSON), or CSV with format=csv',
    content: {
      'application/json': { schema: reportEnvelope(name, row) },
      'text/csv': { schema: { type: 'string' as const } },
    },
  },
  ...problemResponses,
});

export function reportRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reports/service-revenue',
      tags,
      summary: 'Revenue per customer × contract × currency from billing documents dated in the period',
      middleware: [requireScope('read')] as const,
      request: { query: reportQuerySchema },
      responses: ok('ServiceRevenueReport', serviceRevenueRowSchema),
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await serviceRevenueReport(c.get('deps').db, query);
      return respond(c, 'service-revenue', query, rows, serviceRevenueColumns);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reports/inventory-consumption',
      tags,
      summary: 'Parts issued to work orders minus returns, per item × warehouse, valued at cost',
      middleware: [requireScope('read')] as const,
      request: { query: reportQuerySchema },
      responses: ok('InventoryConsumptionReport', consumptionRowSchema),
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await inventoryConsumptionReport(c.get('deps').db, query);
      return respond(c, 'inventory-consumption', query, rows, consumptionColumns);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reports/labor-utilization',
      tags,
      summary: 'Available vs recorded vs billable hours per technician',
      middleware: [requireScope('read')] as const,
      request: { query: laborQuerySchema },
      responses: ok('LaborUtilizationReport', laborRowSchema),
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await laborUtilizationReport(c.get('deps').db, query);
      return respond(c, 'labor-utilization', query, rows, laborColumns);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reports/contract-profitability',
      tags,
      summary: 'Fees + billed − parts at cost − labor at cost rate, per contract',
      middleware: [requireScope('read')] as const,
      request: { query: reportQuerySchema },
      responses: ok('ContractProfitabilityReport', profitabilityRowSchema),
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await contractProfitabilityReport(c.get('deps').db, query);
      return respond(c, 'contract-profitability', query, rows, profitabilityColumns);
    },
  );

  return router;
}
