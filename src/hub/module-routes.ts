import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../api/index.js';
import { customerRoutes } from '../modules/customers/index.js';
import { assetRoutes } from '../modules/assets/index.js';
import { contractRoutes, priceListRoutes } from '../modules/contracts/index.js';
import { itemRoutes } from '../modules/items/index.js';
import { cycleCountRoutes, stockRoutes, warehouseRoutes } from '../modules/stock/index.js';
import { technicianRoutes } from '../modules/technicians/index.js';
import { workOrderRoutes } from '../modules/work-orders/index.js';
import { maintenancePlanRoutes } from '../modules/maintenance-plans/index.js';
import { billingRoutes } from '../modules/billing/index.js';
import { reportRoutes } from '../modules/reports/index.js';

/** Every module's REST routes, mounted under /v1 in this order. */
export function moduleRouters(): OpenAPIHono<ApiEnv>[] {
  return [
    customerRoutes(),
    itemRoutes(),
    assetRoutes(),
    contractRoutes(),
    priceListRoutes(),
    warehouseRoutes(),
    stockRoutes(),
    cycleCountRoutes(),
    technicianRoutes(),
    workOrderRoutes(),
    maintenancePlanRoutes(),
    billingRoutes(),
    reportRoutes(),
  ];
}
