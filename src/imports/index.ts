export { ImportRunner } from './import-runner.js';
export { pruneImports } from './prune-imports.js';
export type { PruneImportsOptions, PrunedImports } from './prune-imports.js';
export type { ImportRunnerOptions, UploadRequest } from './import-runner.js';
export { IMPORT_UPLOAD_PATH, importRoutes } from './routes.js';
export { importJobSchema, importRejectSchema, importStatuses } from './schemas.js';
export type { ImportJob, ImportReject, ImportStatus } from './schemas.js';
export type { ImportJobsTable, ImportRejectsTable, ImportTables } from './tables.js';
