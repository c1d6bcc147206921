/**
 * The closed set of domain/API error codes. Every error that leaves a module is an AppError with one of
 * these codes; the HTTP edge maps the code to a status in exactly one place (`httpStatusFor`).
 */
export const AppErrorCode = {
  validation: 'validation',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  preconditionFailed: 'precondition_failed',
  preconditionRequired: 'precondition_required',
  unprocessable: 'unprocessable',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

/** One offending input location, as a JSON path (`["sites", 0, "postalCode"]`). */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export interface AppErrorOptions {
  /** Machine-readable details for clients (e.g. the available quantity, the allowed transitions). */
  details?: Record<string, unknown>;
  issues?: FieldIssue[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown>;
  readonly issues: FieldIssue[];

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
    this.issues = options.issues ?? [];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

const statusByCode: Record<AppErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  precondition_required: 428,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function httpStatusFor(code: AppErrorCode): number {
  return statusByCode[code];
}

/** Short constructors keep call sites readable. */
export const errors = {
  validation: (message: string, issues: FieldIssue[] = [], details?: Record<string, unknown>) =>
    new AppError(AppErrorCode.validation, message, { issues, details }),
  notFound: (entity: string, id: string) =>
    new AppError(AppErrorCode.notFound, `${entity} ${id} not found`, { details: { entity, id } }),
  conflict: (message: string, details?: Record<string, unknown>) =>
    new AppError(AppErrorCode.conflict, message, { details }),
  unprocessable: (message: string, details?: Record<string, unknown>, issues: FieldIssue[] = []) =>
    new AppError(AppErrorCode.unprocessable, message, { details, issues }),
  preconditionFailed: (message: string, details?: Record<string, unknown>) =>
    new AppError(AppErrorCode.preconditionFailed, message, { details }),
};
