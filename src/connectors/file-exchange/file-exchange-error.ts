import { ConnectorError, ConnectorErrorClass } from '../sdk/connector-error.js';

/**
 * Why a file, a file name or a value was refused. A closed set so callers (quarantine, rejects, tests)
 * branch on the reason code, never on message text.
 */
export const FileRefusal = {
  emptyName: 'empty_name',
  nulInName: 'nul_in_name',
  absolutePath: 'absolute_path',
  pathTraversal: 'path_traversal',
  symlink: 'symlink',
  symlinkEscape: 'symlink_escape',
  notRegularFile: 'not_regular_file',
  notFound: 'not_found',
  tooLarge: 'too_large',
  exists: 'exists',
  unsupportedType: 'unsupported_type',
  unknownKind: 'unknown_kind',
  xmlDtd: 'xml_dtd',
  unsupportedEncoding: 'unsupported_encoding',
  missingColumns: 'missing_columns',
  duplicateColumns: 'duplicate_columns',
  noColumns: 'no_columns',
  manifestInvalid: 'manifest_invalid',
  checksumMismatch: 'checksum_mismatch',
  invalidFlowName: 'invalid_flow_name',
  invalidLayout: 'invalid_layout',
  unrepresentableValue: 'unrepresentable_value',
} as const;
export type FileRefusal = (typeof FileRefusal)[keyof typeof FileRefusal];

const notFoundReasons: ReadonlySet<FileRefusal> = new Set([FileRefusal.notFound]);

/**
 * A ConnectorError that also names the refusal reason. It stays a ConnectorError so the sync engine's
 * retry policy classifies it like any other connector failure (validation: never retried).
 */
export class FileExchangeError extends ConnectorError {
  readonly reason: FileRefusal;
  readonly detail: Record<string, unknown>;

  constructor(reason: FileRefusal, message: string, detail: Record<string, unknown> = {}, cause?: unknown) {
    super(
      notFoundReasons.has(reason) ? ConnectorErrorClass.notFound : ConnectorErrorClass.validation,
      message,
      {
        vendorDetail: { reason, ...detail },
        cause,
      },
    );
    this.name = 'FileExchangeError';
    this.reason = reason;
    this.detail = detail;
  }
}

export function isFileExchangeError(value: unknown): value is FileExchangeError {
  return value instanceof FileExchangeError;
}

/** Node's system errors carry a string `code` (ENOENT, EEXIST, ...). */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
