export { AlertEvaluator } from './alert-evaluator.js';
export type { AlertEvaluatorOptions } from './alert-evaluator.js';
export { createAlertNotifier } from './alert-notifier.js';
export type { AlertNotification, AlertNotifier, NotifyResult } from './alert-notifier.js';
export {
  AlertRuleName,
  alertRulesConfigSchema,
  defaultAlertRules,
  resolveAlertRules,
} from './alert-rules.js';
export type { AlertRule, AlertRulesConfig } from './alert-rules.js';
export { AlertState, nextAlertState } from './alert-state.js';
export type { AlertStep, NotificationKind, StoredAlertState } from './alert-state.js';
export { evaluateAlerts, listAlertStates } from './evaluate-alerts.js';
export type { AlertEvaluation, StoredAlert } from './evaluate-alerts.js';
export { classifyAddress, embeddedIpv4 } from './ip-ranges.js';
export {
  checkUrl,
  createUrlPolicy,
  guardedLookup,
  RefusedAddressError,
  systemResolver,
} from './url-guard.js';
export type { HostResolver, ResolvedAddress, UrlCheck, UrlPolicy } from './url-guard.js';
export { createWebhookSender } from './webhook-sender.js';
export type { WebhookDelivery, WebhookSender, WebhookTarget } from './webhook-sender.js';
