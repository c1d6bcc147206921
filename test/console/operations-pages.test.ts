import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainJob } from '../../src/demo/index.js';
import { quickstartConfig, simulateTechnicianDay, startMainJob } from '../../src/demo/index.js';
import { createApiToken } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { memoryLog } from '../support/test-hub.js';
import { waitFor } from '../sync/sync-fixture.js';
import type { ConsoleBrowser } from './harness.js';
import { browserPresent, launchConsoleBrowser, navigate, shoot, signIn } from './harness.js';

/**
 * The operations pages against the Quick start itself: the main job (demo company, file-exchange flows,
 * inbox) in a temporary data folder, and a simulated technician day on a fixed past day, so every work
 * order, billing document, asset event and stock movement on screen was made by the real services.
 */
const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const importRows = 3000;

describe.skipIf(!browserPresent)('web console in chromium: operations pages', () => {
  let base = '';
  let dataDir = '';
  let job: MainJob;
  let b: ConsoleBrowser;
  let admin = '';
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
  const backlog = async () =>
    (await api<{ flows: { pending: number; inFlight: number }[] }>('/v1/sync/status')).flows.reduce(
      (n, f) => n + f.pending + f.inFlight,
      0,
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'fs-console-ops-'));
    const config = quickstartConfig(
      loadConfig({
        env: {},
        overrides: { dataDir, databaseUrl: 'sqlite:./data/fieldsync.db', 'http.port': 0 },
      }),
    );
    job = await startMainJob({ config, logger: createLogger('error', memoryLog().stream) });
    base = job.hub.server.url;
    admin = readFileSync(job.tokenFile, 'utf8').trim();
    const result = await simulateTechnicianDay(job.hub.handle.db, { date: day });
    expect(result.workOrders.map((w) => w.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    // Everything the day changed has reached the exchange folder before the pages look at it.
    await waitFor(async () => (await backlog()) === 0, 60_000, 'the day to be exported');
    b = await launchConsoleBrowser();
    await signIn(b.page, base, admin);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await job?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the planning board by day and technician, filtered by region', async () => {
    const { page } = b;
    await navigate(page, 'Planning');
    await page.getByRole('heading', { name: 'Planning' }).waitFor();
    await page.goto(`${base}/#/planning?date=${day}&view=day`);
    await page
      .getByTestId('planning-count')
      .getByText(/^4 work order\(s\) on /)
      .waitFor();
    const annaRow = page.getByRole('row').filter({ hasText: 'Anna Novak' });
    await annaRow.getByTestId('wo-WO-000001').waitFor();
    await annaRow.getByTestId('wo-WO-000002').waitFor();
    const brunoRow = page.getByRole('row').filter({ hasText: 'Bruno Silva' });
    await brunoRow.getByTestId('wo-WO-000003').getByText('urgent').waitFor();
    await shoot(page, 'planning-day');
    await page.getByLabel('Region').selectOption('north');
    await page
      .getByTestId('planning-count')
      .getByText(/^2 work order\(s\) on .* in north$/)
      .waitFor();
    expect(await page.getByTestId('wo-WO-000003').count()).toBe(0);
    await page.getByRole('link', { name: 'week', exact: true }).click();
    await page
      .getByTestId('planning-count')
      .getByText(/^2 work order\(s\) in the week of/)
      .waitFor();
    await shoot(page, 'planning-week');
  });

  it("shows a work order's labor, parts, checklist, signature, explained billing and sync history", async () => {
    const { page } = b;
    await page.goto(`${base}/#/planning?date=${day}&view=day`);
    await page.getByTestId('wo-WO-000003').click();
    await page.getByRole('heading', { name: /^WO-000003/ }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Bruno Silva' })
      .filter({ hasText: '75' })
      .first()
      .waitFor();
    await page.getByRole('row').filter({ hasText: 'PUMP-COND' }).getByText('Van south 1').first().waitFor();
    await page.getByTestId('signature').getByText('Dr. Lien Claes').waitFor();
    await page.getByTestId('signature').getByText('covers the current report').waitFor();
    expect(await page.getByTestId('signature').locator('img').getAttribute('src')).toMatch(
      /^data:image\/png;base64,/,
    );
    const billing = page.getByTestId('billing-BD-000003');
    await billing.getByText(/Contract K-2024-002 version 1 in force/).waitFor();
    await billing.getByText('191.87 EUR').first().waitFor();
    await billing.getByText(/labor covered 50% by contract K-2024-002/).waitFor();
    // Its sync history: completion delivered to the maintenance-costs flow, approval to billing-documents.
    const woHistory = page.locator('[data-subject^="work_order/"]');
    await woHistory
      .getByTestId('delivery-maintenance-costs')
      .getByText('delivered', { exact: true })
      .waitFor();
    await woHistory.getByText('stays in Fieldsync (no flow takes it)').first().waitFor();
    await woHistory.getByText(/maintenance-costs_\d+\.csv#\d+/).waitFor();
    await page
      .locator('[data-subject^="billing_document/"]')
      .getByTestId('delivery-billing-documents')
      .getByText('delivered', { exact: true })
      .waitFor();
    await shoot(page, 'work-order');

    // The preventive visit carries the checklist with its answers.
    await page.goto(`${base}/#/planning?date=${day}&view=day`);
    await page.getByTestId('wo-WO-000001').click();
    await page.getByRole('row').filter({ hasText: 'Working pressure' }).getByText('7.8 bar').waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Remarks' })
      .getByText('Filter replaced, oil topped up')
      .waitFor();
  });

  it('shows assets with their history, work orders and sync history', async () => {
    const { page } = b;
    // The boiler the installation visit put in: created while the hub ran, so its events were exported
    // (the demo company's own assets predate the flows' subscriptions and stay in Fieldsync).
    const serial = `SN-G24-${day.replace(/-/g, '')}`;
    await navigate(page, 'Assets');
    await page.getByRole('heading', { name: 'Assets' }).waitFor();
    await shoot(page, 'assets');
    await page.getByRole('link', { name: new RegExp(serial) }).click();
    await page.getByRole('heading', { name: `Boiler installed ${day}` }).waitFor();
    await page.getByRole('row').filter({ hasText: 'new → installed' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'WO-000004' }).getByText('completed').waitFor();
    await page.getByTestId('delivery-asset-events').first().getByText('delivered', { exact: true }).waitFor();
    await shoot(page, 'asset');
  });

  it('shows stock per warehouse and item, with the movements behind a quantity', async () => {
    const { page } = b;
    const [items, warehouses] = await Promise.all([
      api<{ data: { id: string; sku: string }[] }>('/v1/items?limit=100'),
      api<{ data: { id: string; code: string }[] }>('/v1/warehouses?limit=100'),
    ]);
    const pump = items.data.find((i) => i.sku === 'PUMP-COND');
    const van = warehouses.data.find((w) => w.code === 'VAN-S1');
    const onHand = await api<{ data: { quantity: string }[] }>(
      `/v1/stock/on-hand?itemId=${pump?.id}&warehouseId=${van?.id}`,
    );
    await navigate(page, 'Stock');
    const cell = page.getByTestId('qty-PUMP-COND-VAN-S1');
    expect(await cell.textContent()).toBe(onHand.data[0]?.quantity);
    await shoot(page, 'stock');
    await cell.click();
    await page.getByRole('heading', { name: 'PUMP-COND in Van south 1 (Bruno)' }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'issue' })
      .getByRole('link', { name: 'WO-000003' })
      .waitFor();
    await page
      .getByTestId('delivery-stock-movements')
      .first()
      .getByText('delivered', { exact: true })
      .waitFor();
    // The van was filled when the demo company was loaded, before the hub subscribed its flows.
    await page.getByText('not sent: recorded before the flow that takes it was started').first().waitFor();
  });

  it('imports a file with live progress; the import can be left and found again with its rejected row', async () => {
    const { page } = b;
    const file = path.join(dataDir, 'customers-console.csv');
    const rows = Array.from({ length: importRows }, (_, i) =>
      i === 1234 ? 'IMPC-1234,,' : `IMPC-${i},Imported ${i},`,
    );
    writeFileSync(file, `code,name,email\n${rows.join('\n')}\n`);
    await navigate(page, 'Imports');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import of customers-console.csv' }).waitFor();
    // Seen while it runs: rows counted, not yet done.
    await page.waitForFunction(
      `document.querySelector('[data-testid=import-status] .badge')?.textContent === 'running' &&
       Number(document.querySelector('[data-testid=import-progress-rows-read]')?.textContent) > 0`,
      undefined,
      { timeout: 30_000 },
    );
    const midway = Number(await page.getByTestId('import-progress-rows-read').textContent());
    expect(midway).toBeLessThan(importRows);
    await shoot(page, 'import-running');
    await navigate(page, 'Stock');
    await navigate(page, 'Imports');
    await page.getByRole('link', { name: 'customers-console.csv' }).click();
    await page.getByTestId('import-status').getByText('completed').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-progress-rows-read').textContent()).toBe(String(importRows));
    expect(await page.getByTestId('import-progress-applied').textContent()).toBe(String(importRows - 1));
    expect(await page.getByTestId('import-progress-rejected').textContent()).toBe('1');
    // Line 1236: the header is line 1 and the bad row is the 1,235th data row.
    const reject = page.getByRole('row').filter({ hasText: 'IMPC-1234' });
    await reject.getByText('1236', { exact: true }).waitFor();
    await reject.getByText(/name: required/).waitFor();
    await shoot(page, 'import-done');
    const imported = await job.hub.handle.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', 'IMPC-%')
      .executeTakeFirstOrThrow();
    expect(Number(imported.n)).toBe(importRows - 1);
  });

  it('says when an import kept only the first 10,000 of its rejected rows', async () => {
    const { page } = b;
    const bad = Array.from({ length: 10_005 }, (_, i) => `CAPC-${i},`).join('\n');
    const res = await fetch(`${base}/v1/imports?fileName=customers-capped.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: `code,name\n${bad}\n`,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await page.goto(`${base}/#/import?id=${encodeURIComponent(id)}`);
    await page.getByTestId('import-status').getByText('completed').waitFor({ timeout: 60_000 });
    await page
      .getByTestId('rejects-kept')
      .getByText('The first 10000 rejected rows are kept with their reason; the other 5 were counted only.')
      .waitFor();
    await page.getByRole('heading', { name: 'Rejected rows (10005)' }).waitFor();
  });

  it('offers to a read-only token what it may do, and works through the menu on a phone', async () => {
    const { page } = b;
    const reader = (await createApiToken(job.hub.handle.db, { name: 'viewer', scopes: ['read'] })).token;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, base, reader);
    await navigate(page, 'Imports');
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await page.getByText('Importing needs a token with the write scope.').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
    await navigate(page, 'Planning');
    await page.getByRole('heading', { name: 'Planning' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(true);
    expect(b.pageErrors).toEqual([]);
  });
});
