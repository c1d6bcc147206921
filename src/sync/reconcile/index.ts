export { normaliseValue, reconField, resolveFields, valuesEqual } from './field-compare.js';
export { reconFieldsFromMapping } from './fields-from-mapping.js';
export type { FieldsFromMapping } from './fields-from-mapping.js';
export { CorrectionAction, postCorrections } from './post-corrections.js';
export type { CorrectionOutcome, CorrectionReport, PostCorrectionsOptions } from './post-corrections.js';
export { getReconRun, listReconDiffs, listReconRuns } from './recon-store.js';
export type { ReconDiffFilter, ReconRunFilter } from './recon-store.js';
export { DiffKind, diffKinds, ReconEntity, ReconRunStatus } from './recon-types.js';
export type {
  LocalLoadContext,
  LocalRecord,
  ReconCounts,
  ReconDiff,
  Reconciler,
  ReconFieldInput,
  ReconFieldSpec,
  ReconPhase,
  ReconProgress,
  ReconReport,
  ReconRun,
  ReconSummary,
} from './recon-types.js';
export { getReconciler, isReconEntity, reconcilers } from './reconciler-registry.js';
export { runReconciliation } from './run-reconciliation.js';
export type { RunReconciliationOptions } from './run-reconciliation.js';
