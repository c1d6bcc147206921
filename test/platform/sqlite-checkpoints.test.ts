import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, startBackgroundCheckpoints, tupleRows } from '../../src/platform/db/index.js';

// The hub checkpoints SQLite's WAL from a thread of its own; commands and tests leave it to the writer.
describe('SQLite checkpoints and tuple rows', () => {
  const dirs: string[] = [];
  const fileIn = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldsync-ckpt-'));
    dirs.push(dir);
    return path.join(dir, 'hub.db');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Commits about 150 pages: under SQLite's own 1,000-page auto-checkpoint, so only a thread copies them. */
  async function writePages(handle: ReturnType<typeof openDatabase>) {
    await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
    await handle.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 300; i += 1)
        await sql`insert into notes (body) values (${'x'.repeat(2000)})`.execute(tx);
    });
  }

  async function until(check: () => boolean, ms = 5000): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return check();
  }

  it('copies committed pages into the database file from its own thread while the writer goes on', async () => {
    const file = fileIn();
    const handle = openDatabase({ url: `sqlite:${file}`, checkpoints: 'background' });
    try {
      await writePages(handle);
      // The database file grows only when a checkpoint copies the WAL's pages into it.
      expect(await until(() => fs.statSync(file).size > 500_000)).toBe(true);
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(handle.db);
      expect(count.rows[0]?.n).toBe(300);
    } finally {
      await handle.close();
    }
  });

  it('leaves the WAL to the writer by default, and a stopped thread copies nothing more', async () => {
    const file = fileIn();
    const handle = openDatabase({ url: `sqlite:${file}` });
    const stopped = openDatabase({ url: `sqlite:${fileIn()}` });
    try {
      await writePages(handle);
      const checkpoints = startBackgroundCheckpoints(stopped.location);
      await checkpoints.stop();
      await checkpoints.stop(); // stopping twice is harmless
      await writePages(stopped);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(fs.statSync(file).size).toBeLessThan(100_000);
      expect(fs.statSync(stopped.location).size).toBeLessThan(100_000);
    } finally {
      await handle.close();
      await stopped.close();
    }
  });

  it('returns rows as arrays of values in select order when the query is marked', async () => {
    const handle = openDatabase({ url: `sqlite:${fileIn()}` });
    try {
      const marked = await tupleRows<[number, string, null]>(sql`select 1 as a, 'b' as b, null as c`).execute(
        handle.db,
      );
      expect(marked.rows).toEqual([[1, 'b', null]]);
      const plain = await sql<{ a: number }>`select 1 as a`.execute(handle.db);
      expect(plain.rows).toEqual([{ a: 1 }]);
    } finally {
      await handle.close();
    }
  });
});
