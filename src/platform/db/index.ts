export type { Database } from './database.js';
export { Engine, engineOf } from './engine.js';
export { migrateToLatest } from './migrator.js';
export type { MigrationReport } from './migrator.js';
export { isPostgresUrl, openDatabase, sqlitePathOf } from './open-database.js';
export type { DbHandle, OpenDatabaseOptions } from './open-database.js';
export { containsAny } from './contains.js';
export { forUpdate } from './for-update.js';
export { isUniqueViolation } from './unique-violation.js';
