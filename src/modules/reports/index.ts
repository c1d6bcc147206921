export { reportRoutes } from './routes.js';
export {
  consumptionRowSchema,
  laborQuerySchema,
  laborRowSchema,
  MAX_REPORT_DAYS,
  profitabilityRowSchema,
  reportFormats,
  reportQuerySchema,
  serviceRevenueRowSchema,
} from './schemas.js';
export type {
  ConsumptionRow,
  LaborFilter,
  LaborQuery,
  LaborRow,
  ProfitabilityRow,
  ReportFilter,
  ReportFormat,
  ReportQuery,
  ServiceRevenueRow,
} from './schemas.js';
export { consumptionColumns, inventoryConsumptionReport } from './inventory-consumption.js';
export { laborColumns, laborUtilizationReport } from './labor-utilization.js';
export { contractProfitabilityReport, profitabilityColumns } from './contract-profitability.js';
export { serviceRevenueColumns, serviceRevenueReport } from './service-revenue.js';
export { toCsv } from './csv.js';
export type { CsvColumn } from './csv.js';
export { countWorkingDays } from './period.js';
