export { workOrderRoutes } from './routes.js';
export {
  workOrderCreateSchema,
  workOrderListQuerySchema,
  workOrderPatchSchema,
  workOrderSchema,
  scheduleInputSchema,
  transitionInputSchema,
} from './schemas.js';
export type {
  Answer,
  LaborLine,
  PartLine,
  ScheduleInput,
  SignatureSummary,
  TransitionInput,
  WorkOrder,
  WorkOrderCreate,
  WorkOrderListFilter,
  WorkOrderPatch,
} from './schemas.js';
export {
  answersInputSchema,
  completeInputSchema,
  correctionInputSchema,
  laborInputSchema,
  partInputSchema,
  signatureInputSchema,
} from './execution-schemas.js';
export type {
  AnswersInput,
  CompleteInput,
  CorrectionInput,
  LaborInput,
  PartInput,
  SignatureInput,
} from './execution-schemas.js';
export { allowedTransitions, assertTransition, canTransition, workOrderStatuses } from './status.js';
export type { WorkOrderStatus } from './status.js';
export { laborTypes, workOrderPriorities, workOrderTypes } from './work-order-types.js';
export type { LaborType, WorkOrderPriority, WorkOrderType } from './work-order-types.js';
export { createWorkOrder, getWorkOrder, listWorkOrders, updateWorkOrder } from './work-order.service.js';
export {
  cancelWorkOrder,
  closeWorkOrder,
  scheduleWorkOrder,
  startWorkOrder,
  transitionWorkOrder,
} from './lifecycle.service.js';
export { addLabor, removeLabor } from './labor.service.js';
export { addPart, removePart } from './parts.service.js';
export { answerChecklist } from './checklist.service.js';
export { getSignature, signWorkOrder } from './signature.service.js';
export type { Signature } from './signature.service.js';
export { completeWorkOrder, completionGaps } from './completion.service.js';
export type { CompletionGaps } from './completion.service.js';
export { correctWorkOrder, listWorkOrderRevisions } from './correction.service.js';
export { getWorkOrderCosts } from './cost-read.js';
export type { WorkOrderCosts } from './cost-read.js';
export type { CostChange, WorkOrderCosted } from './cost-booking.js';
export type { WorkOrderRevision } from './correction.service.js';
export { getServiceReport, renderServiceReportHtml } from './report.service.js';
export type { ServiceReportView } from './report.service.js';
export { buildServiceReport, SERVICE_REPORT_SCHEMA } from './service-report.js';
export type { ServiceReport, ServiceReportContent } from './service-report.js';
export { canonicalJson, sha256Hex } from './canonical-json.js';
export { escapeHtml, renderReportPage } from './report-html.js';
export { planningView, planningQuerySchema, planningViewSchema } from './planning.service.js';
export type { PlanningQuery, PlanningView } from './planning.service.js';
export {
  archiveChecklistTemplate,
  createChecklistTemplate,
  defaultChecklistTemplate,
  getChecklistTemplate,
  listChecklistTemplates,
  updateChecklistTemplate,
} from './checklist-template.service.js';
export {
  checklistItemKinds,
  checklistItemSchema,
  checklistTemplateCreateSchema,
  checklistTemplatePatchSchema,
  checklistTemplateSchema,
} from './checklist-schemas.js';
export type {
  ChecklistItem,
  ChecklistItemKind,
  ChecklistTemplate,
  ChecklistTemplateCreate,
  ChecklistTemplateListFilter,
  ChecklistTemplatePatch,
} from './checklist-schemas.js';
export { validateAnswers } from './checklist-answers.js';
export type { AnswerInput } from './checklist-answers.js';
export { getTypePolicy, listTypePolicies, setTypePolicy } from './type-policy.service.js';
export type { TypePolicy, TypePolicyPatch } from './type-policy.service.js';
export { ChecklistTemplateEvents, WorkOrderEvents, workOrderSubject } from './events.js';
export type { WorkOrderEventType } from './events.js';
export { formatWorkOrderNumber } from './numbering.js';
export type { WorkOrdersTables } from './tables.js';
