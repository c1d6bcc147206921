import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCustomers } from '../../src/modules/customers/index.js';
import type { MainJob } from '../../src/demo/index.js';
import { quickstartConfig, simulateTechnicianDay, startMainJob } from '../../src/demo/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { memoryLog } from '../support/test-hub.js';
import type { TestDatabase } from '../support/test-database.js';
import { createTestDatabase, testEngines } from '../support/test-database.js';

/** Polls `check` until it returns a value (bounded), so the test waits for the hub, not for a fixed time. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const published = async (dir: string, flow: string): Promise<string[]> => {
  const names = await readdir(dir);
  return names
    .filter(
      (n) => n.includes(`_${flow}_`) && !n.endsWith('.manifest.json') && names.includes(`${n}.manifest.json`),
    )
    .sort();
};

for (const engine of testEngines) {
  describe(`the Quick start's main job on a temp data folder [${engine}]`, () => {
    let base: string;
    let testDb: TestDatabase;
    let job: MainJob;
    const log = memoryLog();

    beforeAll(async () => {
      base = await mkdtemp(path.join(tmpdir(), 'fx-main-'));
      testDb = await createTestDatabase(engine, { migrate: false });
      const config = quickstartConfig(
        loadConfig({
          env: {},
          overrides: { databaseUrl: testDb.url, dataDir: path.join(base, 'data'), 'http.port': 0 },
        }),
      );
      job = await startMainJob({ config, logger: createLogger('warn', log.stream) });
    });
    afterAll(async () => {
      await job?.stop();
      await testDb?.drop();
      await rm(base, { recursive: true, force: true });
    });

    it('serves the API with the demo company loaded and the exchange folders in place', async () => {
      expect(job.demo).toMatchObject({
        loaded: true,
        counts: { customers: 4, warehouses: 3, technicians: 2 },
      });
      const ready = await fetch(`${job.hub.server.url}/readyz`);
      expect(ready.status).toBe(200);
      const token = (await readFile(job.tokenFile, 'utf8')).trim();
      const customers = await fetch(`${job.hub.server.url}/v1/customers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(customers.status).toBe(200);
      expect(job.exchange?.outbound).toBe(path.join(base, 'data', 'exchange', 'outbound'));
      expect(await readdir(path.join(base, 'data', 'exchange'))).toEqual(
        expect.arrayContaining(['archive', 'inbox', 'outbound', 'quarantine']),
      );
      expect(job.hub.sync?.outbound.map((f) => f.name)).toEqual([
        'stock-movements',
        'asset-events',
        'maintenance-costs',
        'billing-documents',
      ]);
    });

    it('domain changes become files with manifests in the outbound folder', async () => {
      const outbound = job.exchange?.outbound ?? '';
      const day = await simulateTechnicianDay(job.hub.handle.db, { date: '2026-05-04' });
      expect(day.workOrders.map((w) => w.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
      ]);
      expect(day.workOrders.map((w) => w.number)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^WO-/)]),
      );

      const costs = await eventually('maintenance cost files', async () => {
        const files = await published(outbound, 'maintenance-costs');
        let rows = 0;
        for (const f of files)
          rows += (
            JSON.parse(await readFile(path.join(outbound, `${f}.manifest.json`), 'utf8')) as {
              records: number;
            }
          ).records;
        return rows === 10 ? files : undefined;
      });
      const costText = (await Promise.all(costs.map((f) => readFile(path.join(outbound, f), 'utf8')))).join(
        '',
      );
      expect(costText.split('\r\n')[0]).toBe(
        'work_order_number,work_order_id,work_order_type,completed_at,customer_id,asset_id,cost_center,cost_type,line_id,labor_type,technician_id,minutes,billable,sku,quantity,unit,warehouse_id',
      );
      expect(costText).toContain(',CC-NORTH,labor,');
      expect(costText).toContain(',part,');

      const movements = await eventually('stock movement files', async () => {
        const files = await published(outbound, 'stock-movements');
        const text = (await Promise.all(files.map((f) => readFile(path.join(outbound, f), 'utf8')))).join('');
        return (text.match(/,issue,/g) ?? []).length >= 4 ? text : undefined;
      });
      expect(movements).toMatch(/,issue,[^,]+,[^,]+,-2,/);
      const assetEvents = await eventually('asset event files', async () => {
        const files = await published(outbound, 'asset-events');
        return files.length > 0 ? files : undefined;
      });
      expect(assetEvents[0]).toMatch(/\.jsonl$/);
      const line = JSON.parse(
        (await readFile(path.join(outbound, assetEvents[0] as string), 'utf8')).split('\n')[0] ?? '',
      ) as Record<string, unknown>;
      expect(line).toMatchObject({ serial_number: 'SN-G24-20260504', status: 'installed' });

      // Each completed work order was billed and approved: one CSV row per line, one UBL invoice per document.
      const numbers = day.workOrders.map((w) => ('number' in w.billing ? w.billing.number : w.billing.error));
      expect(numbers.every((n) => /^BD-\d+$/.test(n))).toBe(true);
      const invoices = await eventually('UBL invoices', async () => {
        const files = await published(outbound, 'ubl-invoices');
        return files.length === 4 ? files : undefined;
      });
      const subjects = await Promise.all(
        invoices.map(
          async (f) =>
            (
              JSON.parse(await readFile(path.join(outbound, `${f}.manifest.json`), 'utf8')) as {
                subject: string;
              }
            ).subject,
        ),
      );
      expect(subjects.sort()).toEqual([...numbers].sort());
      const billing = await eventually('billing document rows', async () => {
        const files = await published(outbound, 'billing-documents');
        const text = (await Promise.all(files.map((f) => readFile(path.join(outbound, f), 'utf8')))).join('');
        return numbers.every((n) => text.includes(`,${n},`)) ? text : undefined;
      });
      expect(billing.split('\r\n')[0]).toMatch(/^document_id,document_number,document_kind,/);
    });

    it('a customers CSV dropped into the inbox updates customers, is archived, and dropping it again changes nothing', async () => {
      const folders = job.watchers[0]?.folders;
      if (!folders) throw new Error('no inbox watcher');
      const db = job.hub.handle.db;
      const csv =
        'code,name,email,street,city,postal_code,country\r\nC-1001,Brasserie Noord NV,info@noord.example,Dok Noord 6,Gent,9000,BE\r\nC-3001,Garage Oost,,Oostlaan 1,Aalst,9300,BE\r\nC-3002,,not-an-email,,,,\r\n';
      // Producers write under a temporary name and rename when done; the watcher never sees half a file.
      await writeFile(path.join(folders.inbox, '.customers-0504.csv.tmp'), csv);
      await rename(
        path.join(folders.inbox, '.customers-0504.csv.tmp'),
        path.join(folders.inbox, 'customers-0504.csv'),
      );
      const archived = await eventually('the file in archive/', async () => {
        const names = await readdir(folders.archive);
        return names.find((n) => n.endsWith('_customers-0504.csv'));
      });
      expect(await readdir(folders.inbox)).toEqual([]);
      const noord = (await listCustomers(db, { code: 'C-1001' }, { limit: 1 })).data[0];
      expect(noord).toMatchObject({ name: 'Brasserie Noord NV', email: 'info@noord.example' });
      expect(noord?.sites.find((s) => s.isBilling)?.line1).toBe('Dok Noord 6');
      expect((await listCustomers(db, { code: 'C-3001' }, { limit: 1 })).data[0]?.sites[0]?.city).toBe(
        'Aalst',
      );
      const rejects = await readFile(path.join(folders.archive, `${archived}.rejects.csv`), 'utf8');
      expect(rejects).toContain('4,');
      expect(rejects).toContain('name: required');

      const eventsBefore = (await readEvents(db, { limit: 10_000 })).length;
      await writeFile(path.join(folders.inbox, 'customers-again.csv'), csv);
      await eventually('the re-dropped file in archive/', async () => {
        const names = await readdir(folders.archive);
        return names.find((n) => n.endsWith('_customers-again.csv'));
      });
      expect(
        (await readdir(folders.archive)).filter(
          (n) => n.includes('customers-again') && n.endsWith('.rejects.csv'),
        ),
      ).toEqual([]);
      expect((await readEvents(db, { limit: 10_000 })).length).toBe(eventsBefore);
      expect((await listCustomers(db, {}, { limit: 100 })).data).toHaveLength(5);
    });
  });
}
