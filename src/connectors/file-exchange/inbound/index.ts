export { isRowLevelError } from './apply-row.js';
export type { ApplyContext, ApplyRow } from './apply-row.js';
export { importFile } from './import-file.js';
export type { ImportCounts, ImportFileOptions, ImportFileResult } from './import-file.js';
export { moveFile, quarantineFile } from './file-mover.js';
export { StabilityTracker } from './stability-tracker.js';
export type { FileSignature } from './stability-tracker.js';
export { watchInboundFolder } from './watch-inbound.js';
export type { InboundWatcher, WatchInboundOptions } from './watch-inbound.js';
