// The machine's floor for issue 5's SQLite target: a bare outbox lease-and-ack loop (better-sqlite3
// alone, no engine, no mapping), batches of 100, the same pragmas as the hub. The issue sets 50,000
// events/s against about 170,000/s for such a loop; this machine has periods in which everything runs
// at half speed, so sync-engine.ts's figure means most next to this one, taken in the same minute.
// Run: npx tsx bench/outbox-floor.ts   (BENCH_EVENTS=300000 by default)
import Sqlite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const BATCH = 100;

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
      insert.run(`customer/bench-${i % (EVENTS / 2)}`, JSON.stringify({ customer: { name: `Bench ${i}` } }));
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
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `bare SQLite lease-and-ack loop: ${fmt(done / seconds, 0)} events/s (${done} events, ${fmt(seconds, 2)} s, ${fmt((used.user + used.system) / done, 1)} µs CPU/event)`,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
