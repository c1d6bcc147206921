export {
  createFileExchangeConnector,
  FILE_EXCHANGE_VERSION,
  fileExchangeConnector,
  fileExchangeEntities,
} from './file-exchange-connector.js';
export type { FileExchangeConnectOptions } from './file-exchange-connector.js';
export {
  entitySettingsSchema,
  exchangeFoldersOf,
  fileExchangeConfigSchema,
  fileFlowOf,
  layoutColumnSchema,
} from './config.js';
export type {
  EntitySettings,
  ExchangeFolders,
  FileExchangeConfig,
  FileExchangeConfigInput,
  LayoutColumn,
} from './config.js';
export { LEDGER_FILE } from './ledger.js';
export { billingDocumentShape, billingDocumentToUbl, unitCodeOf } from './billing-to-ubl.js';
export type { BillingDocumentShape } from './billing-to-ubl.js';
export { UBL_SOURCE_FIELDS } from './ubl-input.js';
