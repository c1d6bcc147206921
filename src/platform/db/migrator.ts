import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import type { DbHandle } from './open-database.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const migrationFile = /^(\d{4}_[a-z0-9_-]+)\.(ts|js)$/;

/**
 * Migrations are the numbered files in ./migrations, applied in name order. Reading the folder (rather
 * than a hand-kept list) lets each module add its migration without touching a shared file.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const entries = (await fs.readdir(migrationsDir)).filter(
      (f) => migrationFile.test(f) && !f.endsWith('.d.ts'),
    );
    const migrations: Record<string, Migration> = {};
    for (const file of entries.sort()) {
      const name = migrationFile.exec(file)?.[1];
      if (!name) continue;
      const mod = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
      migrations[name] = { up: mod.up, down: mod.down };
    }
    return migrations;
  }
}

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(handle: DbHandle): Promise<MigrationReport> {
  // Modules developed in parallel may land a lower number after a higher one was applied somewhere;
  // each migration creates its own tables, so applying a late one out of order is safe.
  const migrator = new Migrator({
    db: handle.db,
    provider: new FolderMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message}`, {
      cause: result.error,
    });
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
