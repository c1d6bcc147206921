import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { Engine } from './engine.js';
import { startBackgroundCheckpoints } from './sqlite-checkpoints.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { withStatementCache } from './statement-cache.js';

// int8 (bigint) columns hold positions, counts and minor units far below 2^53: return numbers, not strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface DbHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** A display form of the location with any password removed. */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `sqlite:<path>`, a plain file path, or `postgres://...` */
  url: string;
  poolSize?: number;
  /**
   * `relaxed`: on PostgreSQL, commits return before the WAL reaches the disk (synchronous_commit off),
   * so a database crash may lose the last few hundred milliseconds of commits, never leave one half
   * done. Only for writes that are safe to lose and redo (the dispatcher's leases and
   * acknowledgements); domain writes and their outbox events always use a durable handle.
   * SQLite handles are always the same (WAL, synchronous NORMAL).
   */
  commit?: 'durable' | 'relaxed';
  /**
   * SQLite: `background` checkpoints the WAL from a worker thread (sqlite-checkpoints.ts), for the
   * long-running hub whose dispatcher commits hundreds of times a second; `inline` (the default) leaves
   * it to SQLite's auto-checkpoint inside commits, right for short-lived commands and tests.
   */
  checkpoints?: 'inline' | 'background';
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

export function sqlitePathOf(url: string): string {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
}

export function openDatabase(options: OpenDatabaseOptions): DbHandle {
  if (isPostgresUrl(options.url)) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // Half-open connections must not hang a lease forever (reliability R4).
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      ...(options.commit === 'relaxed' && { options: '-c synchronous_commit=off' }),
    });
    // An idle client whose server connection died (restart, pg_terminate_backend, network) must not
    // crash the process: the pool drops it and the next query opens a fresh one.
    pool.on('error', () => undefined);
    // A checked-out client whose connection dies also emits 'error'; its query rejects anyway, and the
    // failing caller handles that — the event must not become an unhandled exception.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      engine: Engine.postgres,
      location: options.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
      close: () => db.destroy(),
    };
  }
  const file = sqlitePathOf(options.url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const checkpoints =
    options.checkpoints === 'background' && file !== ':memory:'
      ? startBackgroundCheckpoints(file)
      : undefined;
  return {
    db,
    engine: Engine.sqlite,
    location: file,
    close: async () => {
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}
