import { z } from 'zod';

/**
 * A Tryton record named in config or in a payload: a database id, an XML id such as
 * `stock.location_storage` (module.fs_id, looked up in `ir.model.data`), or a code (`stock.location.code`).
 */
export const trytonRefSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\s]/, 'must not start with white space'),
]);
export type TrytonRef = z.output<typeof trytonRefSchema>;

const locationsSchema = z
  .object({
    /** Default source of consumption and target of receipts when an op names no location. */
    storage: trytonRefSchema.default('stock.location_storage'),
    /** Where parts consumed on work orders go (a `customer` location; moves to it need a unit price). */
    consumption: trytonRefSchema.default('stock.location_customer'),
    supplier: trytonRefSchema.default('stock.location_supplier'),
    lostFound: trytonRefSchema.default('stock.location_lost_found'),
  })
  .strict();

const timeoutsSchema = z
  .object({
    /** Reads and creates. A timed-out write may have committed: the reference look-up makes the retry safe. */
    requestMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Buttons (`do`, `post`, `confirm`, `close`) are the slow calls on Tryton. */
    buttonMs: z.number().int().min(100).max(600_000).default(120_000),
  })
  .strict();

export const trytonConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    database: z.string().trim().min(1).max(100),
    login: z.string().min(1).max(100),
    password: z.string().min(1).max(1000),
    /** Company id; default: the user's current company (a company is required for stock and prices). */
    company: z.number().int().positive().optional(),
    /** Customer invoices are left in draft for review, or posted (numbered, in the ledger). */
    invoiceState: z.enum(['draft', 'posted']).default('posted'),
    /** Stock moves are done (on-hand changes at once), or left in draft for someone to do in Tryton. */
    stockMoveState: z.enum(['draft', 'done']).default('done'),
    /**
     * Tryton UserWarnings (e.g. "moves have no origin" when parts go to a customer location) are errors
     * unless acknowledged: `true` acknowledges all, a list acknowledges warnings raised by those methods
     * (`stock.move.do`, `account.invoice.post`, ...).
     */
    acknowledgeWarnings: z.union([z.boolean(), z.array(z.string().min(1)).max(50)]).default(false),
    /** HTTP requests in flight at once. Keep 1 for Tryton on SQLite (one writer); more on PostgreSQL. */
    maxInFlight: z.number().int().min(1).max(16).default(1),
    timeouts: timeoutsSchema.default({ requestMs: 30_000, buttonMs: 120_000 }),
    locations: locationsSchema.default({
      storage: 'stock.location_storage',
      consumption: 'stock.location_customer',
      supplier: 'stock.location_supplier',
      lostFound: 'stock.location_lost_found',
    }),
    /**
     * Fieldsync warehouse (id or code) → Tryton location, for payloads that name a `warehouseId` (work-order
     * part lines) instead of the warehouse's ERP location ref.
     */
    warehouseLocations: z.record(z.string().min(1).max(200), trytonRefSchema).default({}),
    /** Work (`timesheet.work`) that labor lines are booked on when the payload names none; created if missing. */
    timesheetWork: z.string().trim().min(1).max(200).default('Field service'),
    /** Expense account and counterpart of cost postings (default: the category default expense and payable). */
    accounts: z
      .object({
        expense: trytonRefSchema.optional(),
        costCounterpart: trytonRefSchema.optional(),
        revenue: trytonRefSchema.optional(),
        receivable: trytonRefSchema.optional(),
      })
      .strict()
      .default({}),
    /** An address country unknown to Tryton (countries not loaded): leave it out, or refuse the party. */
    unknownCountry: z.enum(['omit', 'error']).default('omit'),
    /** trytond's login throttle answers 429 without Retry-After; this is the pause we ask for instead. */
    rateLimitRetryAfterMs: z.number().int().min(1000).max(86_400_000).default(60_000),
    /** Records per `search_read` call of `readAll`. */
    pageSize: z.number().int().min(10).max(5000).default(1000),
  })
  .strict();

export type TrytonConnectorConfig = z.output<typeof trytonConfigSchema>;
export type TrytonConnectorConfigInput = z.input<typeof trytonConfigSchema>;
