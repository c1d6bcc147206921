/**
 * Bump when the setup performed on the template changes: the cache key includes it, so stale templates
 * are rebuilt instead of silently reused.
 */
export const HARNESS_VERSION = '2';

/** Modules activated in the template (dependencies are activated too). */
export const TRYTON_MODULES = [
  'party',
  'company',
  'currency',
  'country',
  'product',
  'stock',
  'sale',
  'purchase',
  'account',
  'account_invoice',
  'account_product',
  'account_invoice_stock',
  'account_asset',
  'analytic_account',
  'analytic_invoice',
  'timesheet',
] as const;

export const ADMIN_LOGIN = 'admin';
/** Only ever used against throwaway loopback databases. */
export const ADMIN_PASSWORD = 'fieldsync-admin-secret';
export const ADMIN_EMAIL = 'admin@example.com';

/** Database name of the template inside the cache directory. */
export const TEMPLATE_DB = 'template';

/** Environment switches (documented in docs/connectors/tryton-harness.md). */
export const ENV_REQUIRE = 'FIELDSYNC_TEST_TRYTON';
export const ENV_CACHE_DIR = 'FIELDSYNC_TRYTON_CACHE_DIR';
export const ENV_REBUILD = 'FIELDSYNC_TRYTON_REBUILD';
export const ENV_BIN_DIR = 'FIELDSYNC_TRYTON_BIN_DIR';
