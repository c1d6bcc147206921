export { AppError, AppErrorCode, errors, httpStatusFor, isAppError } from './app-error.js';
export type { AppErrorOptions, FieldIssue } from './app-error.js';
