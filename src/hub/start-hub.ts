import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv, RunningServer } from '../api/index.js';
import { buildApp, mountConsole, serveHttp, whoamiRoutes } from '../api/index.js';
import type { AppConfig } from '../platform/config/index.js';
import type { DbHandle } from '../platform/db/index.js';
import { migrateToLatest, openDatabase } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import { createLogger } from '../platform/logging/index.js';
import type { Metrics } from '../platform/metrics/index.js';
import { createMetrics } from '../platform/metrics/index.js';
import { AlertEvaluator } from '../sync/alerts/index.js';
import {
  conflictRoutes,
  historyRoutes,
  observabilityRoutes,
  reconcileRoutes,
  replayRoutes,
  syncRoutes,
} from '../sync/api/index.js';
import { KpiSampler, refreshSyncGauges } from '../sync/kpis/index.js';
import type { SyncMetrics } from '../sync/engine/index.js';
import { createSyncMetrics, SyncEngine } from '../sync/engine/index.js';
import type { LoadedFlowConfig } from '../sync/flows/index.js';
import { loadFlowConfig } from '../sync/flows/index.js';
import { IMPORT_UPLOAD_PATH, ImportRunner, importRoutes } from '../imports/index.js';
import { moduleRouters } from './module-routes.js';
import { startRetention } from './retention.js';

export interface Hub {
  config: AppConfig;
  handle: DbHandle;
  logger: Logger;
  metrics: Metrics;
  app: OpenAPIHono<ApiEnv>;
  server: RunningServer;
  syncMetrics: SyncMetrics;
  /** Present when sync is enabled and flows are configured. */
  sync?: SyncEngine;
  stop(): Promise<void>;
}

export interface StartHubOptions {
  config: AppConfig;
  logger?: Logger;
  /** Run pending migrations before serving (default true). */
  migrate?: boolean;
  /** Use this open store instead of opening config.databaseUrl; the caller keeps ownership. */
  handle?: DbHandle;
  /** Flows to run, instead of reading config.sync.flowsFile (e.g. the Quick start's defaults). */
  flowConfig?: LoadedFlowConfig;
}

/** Opens the store, migrates it, and serves the API; `stop()` undoes all of it in reverse. */
export async function startHub(options: StartHubOptions): Promise<Hub> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.log.level);
  const ownsHandle = options.handle === undefined;
  // A hub runs for days and its dispatcher commits hundreds of times a second: SQLite's WAL is copied
  // back from a thread of its own (sqlite-checkpoints.ts).
  const handle =
    options.handle ??
    openDatabase({ url: config.databaseUrl, poolSize: config.db.poolSize, checkpoints: 'background' });
  const closeStore = () => (ownsHandle ? handle.close() : Promise.resolve());
  try {
    if (options.migrate !== false) {
      const report = await migrateToLatest(handle);
      if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
    }
    const metrics = createMetrics();
    const syncMetrics = createSyncMetrics(metrics.registry);
    const flowConfig =
      options.flowConfig ?? (config.sync.flowsFile ? await loadFlowConfig(config.sync.flowsFile) : undefined);
    const delivery = config.sync.enabled && flowConfig ? deliveryHandle(handle, config) : undefined;
    const closeDelivery = () => (delivery && delivery !== handle ? delivery.close() : Promise.resolve());
    const sync =
      config.sync.enabled && flowConfig
        ? new SyncEngine({
            db: handle.db,
            deliveryDb: (delivery ?? handle).db,
            logger,
            flowConfig,
            metrics: syncMetrics,
            leaseMs: config.sync.leaseSeconds * 1000,
          })
        : undefined;
    const importsDir = path.resolve(config.dataDir, 'imports');
    const imports = new ImportRunner({
      db: handle.db,
      dir: importsDir,
      logger,
      maxBytes: config.imports.maxBytes,
    });
    const app = buildApp({
      deps: {
        db: handle.db,
        engine: handle.engine,
        logger,
        metrics,
        imports,
        historyDays: config.sync.historyDays,
        ...(sync && { sync }),
      },
      rawBodyPaths: [IMPORT_UPLOAD_PATH],
      bodyLimitBytes: config.http.bodyLimitBytes,
      routers: [
        whoamiRoutes(),
        ...moduleRouters(),
        syncRoutes(),
        reconcileRoutes(),
        conflictRoutes(),
        observabilityRoutes(),
        replayRoutes(),
        historyRoutes(),
        importRoutes(),
      ],
      beforeMetrics: () => refreshSyncGauges(handle.db, syncMetrics),
      mount: (root) => mountConsole(root),
    });
    await sync?.start();
    await imports.start();
    const background = config.sync.enabled ? startSyncHousekeeping(handle, logger, config) : undefined;
    const retention = startRetention({
      db: handle.db,
      logger,
      importsDir,
      keepDays: config.sync.historyDays,
    });
    const server = await serveHttp(app, config.http.host, config.http.port).catch(async (error: unknown) => {
      await imports.stop();
      await retention.stop();
      await background?.stop();
      await sync?.stop();
      await closeDelivery();
      throw error;
    });
    logger.info({ url: server.url, database: handle.location, engine: handle.engine }, 'fieldsync listening');
    return {
      config,
      handle,
      logger,
      metrics,
      app,
      server,
      syncMetrics,
      ...(sync && { sync }),
      stop: async () => {
        await server.close();
        await imports.stop();
        await retention.stop();
        await background?.stop();
        await sync?.stop();
        await closeDelivery();
        await closeStore();
      },
    };
  } catch (error) {
    await closeStore();
    throw error;
  }
}

/** KPI sampling and alert evaluation: periodic work that runs beside the dispatcher (retention is apart). */
function startSyncHousekeeping(
  handle: DbHandle,
  logger: Logger,
  config: AppConfig,
): { stop(): Promise<void> } {
  const sampler = new KpiSampler({
    db: handle.db,
    logger,
    retentionDays: Math.max(config.sync.historyDays, 30),
  });
  sampler.start(config.sync.kpiIntervalSeconds * 1000);
  const alerts = new AlertEvaluator({
    db: handle.db,
    logger,
    ...(config.sync.alertWebhook && { webhook: config.sync.alertWebhook }),
  });
  alerts.start(30_000);
  return {
    stop: async () => {
      await sampler.stop();
      await alerts.stop();
    },
  };
}

/**
 * The dispatcher's store. On PostgreSQL its own small pool with relaxed commits: a lease or an
 * acknowledgement lost in a database crash is redone, and the ERP recognises the re-sent idempotency
 * key, so waiting for the WAL flush on every batch buys nothing but latency. SQLite shares the handle.
 */
function deliveryHandle(handle: DbHandle, config: AppConfig): DbHandle {
  if (handle.engine !== 'postgres') return handle;
  return openDatabase({ url: config.databaseUrl, poolSize: config.db.poolSize, commit: 'relaxed' });
}
