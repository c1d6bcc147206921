// Inbound wiring of the file exchange: kept apart from the connector entry so the connector registry does
// not load every domain module it imports.
export { createImportApplier } from './apply/apply-import-row.js';
export { IMPORTED_ITEM_CATEGORY } from './apply/items.js';
export { DbProcessedFileStore } from './db-processed-file-store.js';
export { FileExchangeWatcher } from './file-exchange-watcher.js';
export type { FileExchangeWatcherOptions, WatcherLogger } from './file-exchange-watcher.js';
export { importOneFile } from './import-one-file.js';
export type { ImportOneFileOptions } from './import-one-file.js';
export type { FileExchangeImportsTable, FileExchangeTables } from './tables.js';
