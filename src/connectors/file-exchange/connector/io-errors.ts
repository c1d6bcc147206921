import { ConnectorError, isConnectorError } from '../../sdk/connector-error.js';
import { errnoCode, isFileExchangeError } from '../file-exchange-error.js';

/**
 * File-system failures as connector error classes. A folder that is missing (an unmounted share) or a
 * full disk heals without us: transient. A folder we may not write (permissions, read-only mount) needs an
 * operator, like a bad password: auth. A value that cannot go into a file is the record's fault: validation.
 */
const authCodes = new Set(['EACCES', 'EPERM', 'EROFS']);

export function classifyFileError(error: unknown, doing: string): ConnectorError {
  if (isFileExchangeError(error)) {
    // exportRecords reports a missing export folder as not_found; for a folder that is transient.
    // A name already taken cannot happen to a fresh name unless two writers share the folder: retry.
    if (error.reason === 'not_found' || error.reason === 'exists')
      return new ConnectorError('transient', `${doing}: ${error.message}`, {
        cause: error,
        vendorDetail: error.vendorDetail,
      });
    return error;
  }
  if (isConnectorError(error)) return error;
  const code = errnoCode(error);
  const message = `${doing}: ${error instanceof Error ? error.message : String(error)}`;
  if (code !== undefined && authCodes.has(code))
    return new ConnectorError('auth', message, { cause: error, vendorDetail: { code } });
  if (code === 'ENOTDIR')
    return new ConnectorError('validation', message, { cause: error, vendorDetail: { code } });
  return new ConnectorError('transient', message, { cause: error, ...(code && { vendorDetail: { code } }) });
}
