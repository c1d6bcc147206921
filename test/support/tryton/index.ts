export { startTryton } from './start-tryton.js';
export type { StartTrytonOptions, TrytonHandle } from './start-tryton.js';
export {
  trytonAvailable,
  trytonBinaries,
  trytonRequired,
  trytonSkipReason,
  trytondVersion,
} from './availability.js';
export type { TrytonBinaries } from './availability.js';
export { cacheRoot, ensureTemplate, templateKey } from './template.js';
export type { TrytonTemplate } from './template.js';
export type { TrytonSetup } from './setup-types.js';
export { createFiscalYear, xmlId } from './setup-database.js';
export { ADMIN_LOGIN, ADMIN_PASSWORD, HARNESS_VERSION, TRYTON_MODULES } from './constants.js';
export { startBlackHole, startCountingProxy } from './counting-proxy.js';
export type { CountingProxy } from './counting-proxy.js';
