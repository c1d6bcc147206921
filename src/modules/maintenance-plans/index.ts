export { maintenancePlanRoutes } from './routes.js';
export {
  generateInputSchema,
  generateResultSchema,
  occurrenceSchema,
  planCreateSchema,
  planPatchSchema,
  planSchema,
  planScopes,
  planStatuses,
} from './schemas.js';
export type {
  GenerateInput,
  GenerateResult,
  MaintenancePlan,
  Occurrence,
  PlanCreate,
  PlanListFilter,
  PlanPatch,
} from './schemas.js';
export {
  archivePlan,
  createPlan,
  getPlan,
  listOccurrences,
  listPlans,
  MaintenancePlanEvents,
  updatePlan,
} from './plan.service.js';
export { generate } from './generate.service.js';
export { forecastPlan } from './forecast.service.js';
export type { DueItem } from './due-items.js';
export { addMonths, calendarOccurrences, intervalUnits, nthOccurrence } from './calendar.js';
export type { DueOccurrence, IntervalUnit } from './calendar.js';
export { cumulative, meterOccurrences, usageRate } from './meter.js';
export type { Reading } from './meter.js';
export type { MaintenancePlansTables } from './tables.js';
