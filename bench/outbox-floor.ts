// The machine's floor for issue 5's targets: a bare outbox lease-and-ack loop (the driver alone, no
// engine, no mapping), batches of 100, the hub's settings (SQLite: WAL, synchronous = NORMAL;
// PostgreSQL: asynchronous commit, as the hub's delivery pool). The issue sets 50,000 events/s on SQLite
// against about 170,000/s for such a loop, and 15,000 on PostgreSQL against about 33,000/s. This machine
// has periods in which everything runs at half speed, so sync-engine.ts's figures mean most next to
// these, taken in the same minute.
// Run: npx tsx bench/outbox-floor.ts   (BENCH_EVENTS=300000 by default; FIELDSYNC_BENCH_ENGINES=sqlite)
import Sqlite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { benchEngines, benchPgUrl, fmt } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const BATCH = 100;

function report(engine: string, done: number, started: number, cpu: NodeJS.CpuUsage): void {
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `bare ${engine} lease-and-ack loop: ${fmt(done / seconds, 0)} events/s (${done} events, ${fmt(seconds, 2)} s, ${fmt((used.user + used.system) / done, 1)} µs CPU/event here)`,
  );
}

function sqliteFloor(): void {
  const dir = mkdtempSync(join(tmpdir(), 'fieldsync-floor-'));
  try {
    const db = new Sqlite(join(dir, 'floor.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      create table outbox (id integer primary key, subject text not null, data text not null,
                           status text not null, leased_until text);
      create index outbox_due on outbox (status, id);`);
    const insert = db.prepare(`insert into outbox (subject, data, status) values (?, ?, 'pending')`);
    db.transaction(() => {
      for (let i = 0; i < EVENTS; i += 1)
        insert.run(
          `customer/bench-${i % (EVENTS / 2)}`,
          JSON.stringify({ customer: { name: `Bench ${i}` } }),
        );
    })();
    const lease = db.prepare(
      `update outbox set status = 'in_flight', leased_until = ?
        where id in (select id from outbox where status = 'pending' order by id limit ${BATCH})
        returning id, subject, data`,
    );
    const ack = db.prepare(
      `update outbox set status = 'delivered', leased_until = null
        where id in (select value from json_each(?))`,
    );
    const cpu = process.cpuUsage();
    const started = performance.now();
    let done = 0;
    for (;;) {
      const rows = db.transaction(() => lease.all(new Date(Date.now() + 30_000).toISOString()))() as {
        id: number;
        data: string;
      }[];
      if (rows.length === 0) break;
      for (const row of rows) JSON.parse(row.data);
      db.transaction(() => ack.run(JSON.stringify(rows.map((r) => r.id))))();
      done += rows.length;
    }
    report('SQLite', done, started, cpu);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same loop on PostgreSQL: `for update skip locked` leases, one statement (one commit) each. The
 * status is a range and the order (status, id) for the reason the engine's lease gives (lease-query.ts):
 * with statistics taken while every row was pending, `status = 'pending' order by id` walks the primary
 * key past every delivered row, and the loop slows down as it goes (3,522/s here).
 */
async function postgresFloor(): Promise<void> {
  const name = `fieldsync_floor_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: benchPgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(benchPgUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    await client.query('set synchronous_commit = off');
    await client.query(`
      create table outbox (id bigserial primary key, subject text not null, data text not null,
                           status text not null, leased_until timestamptz);
      create index outbox_due on outbox (status, id);`);
    await client.query(
      `insert into outbox (subject, data, status)
       select 'customer/bench-' || (i % ($1::int / 2)), json_build_object('customer', json_build_object('name', 'Bench ' || i))::text, 'pending'
         from generate_series(0, $1::int - 1) i`,
      [EVENTS],
    );
    await client.query('vacuum analyze outbox');
    const cpu = process.cpuUsage();
    const started = performance.now();
    let done = 0;
    for (;;) {
      const { rows } = await client.query<{ id: string; data: string }>(
        `update outbox set status = 'in_flight', leased_until = now() + interval '30 seconds'
          where id in (select id from outbox where status between 'pending' and 'pending'
                        order by status, id limit ${BATCH} for update skip locked)
          returning id, subject, data`,
      );
      if (rows.length === 0) break;
      for (const row of rows) JSON.parse(row.data);
      await client.query(
        `update outbox set status = 'delivered', leased_until = null where id = any($1::bigint[])`,
        [rows.map((r) => r.id)],
      );
      done += rows.length;
    }
    report('PostgreSQL', done, started, cpu);
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

for (const engine of benchEngines()) {
  if (engine === 'sqlite') sqliteFloor();
  else await postgresFloor();
}
