import { z } from 'zod';

/**
 * Every setting Fieldsync reads, validated once at start. Environment variables override the optional
 * config file (YAML or JSON); the env name of each setting is listed in `envBindings`.
 */
export const configSchema = z.strictObject({
  databaseUrl: z
    .string()
    .min(1)
    .refine(
      (v) => /^(postgres(ql)?:\/\/|sqlite:|[./\w])/.test(v),
      'expected postgres://…, sqlite:<path> or a file path',
    )
    .default('sqlite:./data/fieldsync.db'),
  dataDir: z.string().min(1).default('./data'),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      bodyLimitBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .max(100 * 1024 * 1024)
        .default(1024 * 1024),
      publicUrl: z.url().optional(),
    })
    .default({ host: '127.0.0.1', port: 8080, bodyLimitBytes: 1024 * 1024 }),
  imports: z
    .strictObject({
      /** Largest file POST /v1/imports accepts; it is streamed to disk, so this bounds disk, not memory. */
      maxBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .max(1024 * 1024 * 1024)
        .default(50 * 1024 * 1024),
    })
    .default({ maxBytes: 50 * 1024 * 1024 }),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
  db: z
    .strictObject({ poolSize: z.coerce.number().int().min(1).max(200).default(10) })
    .default({ poolSize: 10 }),
  sync: z
    .strictObject({
      enabled: z
        .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
        .transform((v) => v === true || v === 'true' || v === '1')
        .default(true),
      flowsFile: z.string().optional(),
      /** How often sync KPIs are sampled for charts. */
      kpiIntervalSeconds: z.coerce.number().int().min(5).max(3600).default(60),
      /** Attempts and delivered deliveries older than this are pruned (bounded retention). */
      historyDays: z.coerce.number().int().min(1).max(3650).default(14),
      /**
       * How long a leased batch is this hub's: work of a hub that died is taken over after this. A
       * connector call may use 60 % of it, so it must outlast the slowest ERP answer.
       */
      leaseSeconds: z.coerce.number().int().min(2).max(3600).default(30),
      alertWebhook: z
        .strictObject({
          url: z.url({ protocol: /^https?$/ }),
          /** Standard Webhooks secret `whsec_…`; prefer the env variable FIELDSYNC_ALERT_WEBHOOK_SECRET. */
          secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'a Standard Webhooks secret, whsec_<base64>'),
          /** Operator exceptions to the private-address guard (IPs, CIDRs, host names). */
          allow: z.array(z.string().min(1)).default([]),
        })
        .optional(),
    })
    .default({ enabled: true, kpiIntervalSeconds: 60, historyDays: 14, leaseSeconds: 30 }),
});

export type AppConfig = z.infer<typeof configSchema>;

/** Environment variable → dotted setting path. */
export const envBindings: Record<string, string> = {
  DATABASE_URL: 'databaseUrl',
  FIELDSYNC_DATA_DIR: 'dataDir',
  FIELDSYNC_HOST: 'http.host',
  FIELDSYNC_PORT: 'http.port',
  FIELDSYNC_BODY_LIMIT_BYTES: 'http.bodyLimitBytes',
  FIELDSYNC_PUBLIC_URL: 'http.publicUrl',
  FIELDSYNC_IMPORT_MAX_BYTES: 'imports.maxBytes',
  FIELDSYNC_LOG_LEVEL: 'log.level',
  FIELDSYNC_DB_POOL_SIZE: 'db.poolSize',
  FIELDSYNC_SYNC_ENABLED: 'sync.enabled',
  FIELDSYNC_FLOWS_FILE: 'sync.flowsFile',
  FIELDSYNC_SYNC_LEASE_SECONDS: 'sync.leaseSeconds',
  FIELDSYNC_ALERT_WEBHOOK_URL: 'sync.alertWebhook.url',
  FIELDSYNC_ALERT_WEBHOOK_SECRET: 'sync.alertWebhook.secret',
};
