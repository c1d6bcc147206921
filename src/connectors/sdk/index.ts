// The conformance kit is imported from './conformance-kit.js' by test files only (it registers vitest blocks).
export { ConnectorOperation, entityManifest } from './connector.js';
export type {
  AnyConnector,
  ChangePage,
  ConnectionInfo,
  Connector,
  ConnectorCapabilities,
  ConnectorContext,
  ConnectorLogger,
  ConnectorManifest,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  EntityManifest,
  WriteOp,
  WriteOpKind,
  WriteOptions,
  WriteResult,
} from './connector.js';
export { ConnectorError, ConnectorErrorClass, isConnectorError } from './connector-error.js';
export type { ConnectorErrorOptions } from './connector-error.js';
export { compareCursor, cursorOf, isAfterCursor, recordVersionKey, withOverlap } from './cursor.js';
export {
  MAX_RETRY_AFTER_MS,
  classifyHttpStatus,
  classifyNetworkError,
  connectorErrorFromHttp,
  parseRetryAfter,
} from './error-classes.js';
export type { HeaderBag, HttpClassification, HttpFailure } from './error-classes.js';
