export { TrytonClient } from './tryton-client.js';
export { withCallSignal } from './call-scope.js';
export { searchReadPages } from './paging.js';
export type { TrytonPagingOptions } from './paging.js';
export type { TrytonWizardResult, TrytonWizardStep } from './wizard.js';
export {
  TrytonDate,
  TrytonDateTime,
  TrytonDecimal,
  TrytonTime,
  TrytonTimeDelta,
  encodeTrytonValue,
  reviveTrytonValue,
  trytonDate,
  trytonDateTime,
  trytonDecimal,
  trytonTime,
  trytonTimeDelta,
} from './typed-values.js';
export { coerceValues } from './field-coercion.js';
export type { TrytonFieldInfo, TrytonFieldsLookup } from './field-coercion.js';
export {
  classifyTrytonHttpStatus,
  classifyTrytonNetworkFailure,
  classifyTrytonRpcError,
  userWarningName,
} from './classify-error.js';
export type { TrytonErrorDetail } from './classify-error.js';
export type {
  TrytonCallOptions,
  TrytonClientOptions,
  TrytonClientStats,
  TrytonContext,
  TrytonDomain,
  TrytonSearchOptions,
  TrytonSearchReadOptions,
  TrytonSession,
  TrytonWarning,
  TrytonWarningPolicy,
  TrytonWriteOptions,
} from './types.js';
