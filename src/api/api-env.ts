import type { Engine } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import type { Metrics } from '../platform/metrics/index.js';
import type { Db } from '../platform/outbox/index.js';
import type { Principal } from '../platform/auth/index.js';
import type { ImportRunner } from '../imports/index.js';
import type { SyncEngine } from '../sync/engine/index.js';

/** What request handlers may use; built once per running hub. */
export interface ApiDeps {
  db: Db;
  engine: Engine;
  logger: Logger;
  metrics: Metrics;
  /** The running sync engine, when sync is enabled and flows are configured. */
  sync?: SyncEngine;
  /** Takes uploads for POST /v1/imports and runs them in the background. */
  imports?: ImportRunner;
  /**
   * Days of delivery history kept (`sync.historyDays`): delivered rows older than this are pruned, so a
   * record's history can tell an event whose delivery was pruned from one that was never sent.
   */
  historyDays?: number;
}

export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    principal: Principal;
  };
}
