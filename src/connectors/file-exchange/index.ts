// Outbound
export { createAtomicFile, fsyncDir, writeFileAtomic } from './atomic-file.js';
export type { AtomicFile, AtomicFileResult, CreateAtomicFileOptions } from './atomic-file.js';
export { EXPORT_SCHEMA_VERSION, openExportFile } from './atomic-writer.js';
export type { ExportFile, OpenExportFileOptions } from './atomic-writer.js';
export { assertLayout, projectRecord } from './column-layout.js';
export type { ColumnLayout, ColumnSpec } from './column-layout.js';
export { FORMULA_TRIGGERS, neutraliseCell, restoreCell, startsWithFormulaTrigger } from './csv-cell.js';
export { defaultLayouts } from './default-layouts.js';
export { exportFileName, formatStamp, parseExportFileName } from './file-naming.js';
export { ExportFormat, MANIFEST_SUFFIX, manifestNameFor, readInboundManifest } from './manifest.js';
export type { FileManifest, InboundManifest } from './manifest.js';
export {
  createCsvSerializer,
  createJsonlSerializer,
  createXmlSerializer,
  exportRecords,
} from './writers/index.js';
export type { ExportRecordsOptions, ExportResult, RecordSerializer } from './writers/index.js';
export {
  buildUblInvoice,
  computeUblTotals,
  ublInvoiceInputSchema,
  writeUblInvoiceFile,
} from './ubl/index.js';
export type { UblInvoice, UblInvoiceInput, UblTotals, WriteUblInvoiceOptions } from './ubl/index.js';

// Inbound
export { ImportKind, formatFromFileName, importKinds, kindFromFileName } from './import-kinds.js';
export {
  InboundFolder,
  FileStatus,
  ensureInboundFolders,
  hashFile,
  isIgnoredName,
} from './inbound-folder.js';
export type { FileOutcome, InboundFolderOptions, InboundFolders, PollReport } from './inbound-folder.js';
export { isRowLevelError, watchInboundFolder } from './inbound/index.js';
export type { ApplyContext, ApplyRow, InboundWatcher, WatchInboundOptions } from './inbound/index.js';
export { InMemoryProcessedFileStore } from './processed-file-store.js';
export type { ProcessedFileMeta, ProcessedFileStore } from './processed-file-store.js';
export { openCsvReader, openJsonlReader, openRecordReader, openXmlReader } from './readers/index.js';
export type { CsvReadOptions, ReadItem, ReaderOverrides, RecordReader } from './readers/index.js';
export { createRejectsWriter, rejectsFileNameFor } from './rejects-writer.js';
export type { RejectedRow, RejectsWriter } from './rejects-writer.js';
export { columnsOf, requiredColumnsOf, validateRow } from './row-validation.js';
export type { ImportRow, RowValidation } from './row-validation.js';
export type {
  CustomerImport,
  ItemImport,
  PriceListImport,
  PurchaseReceiptImport,
  StockLevelImport,
} from './schemas/index.js';

// Shared
export { FileExchangeError, FileRefusal, isFileExchangeError } from './file-exchange-error.js';
export { defaultFileLimits, resolveLimits } from './limits.js';
export type { FileLimits } from './limits.js';
export { assertSafeRelativeName, openRegularFileInside, resolveInside } from './safe-path.js';
export type { OpenedFile } from './safe-path.js';
