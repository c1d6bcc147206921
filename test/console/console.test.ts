import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import type { Hub } from '../../src/hub/index.js';
import { startHub } from '../../src/hub/index.js';
import { createApiToken } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import type { TestDatabase } from '../support/test-database.js';
import { createTestDatabase } from '../support/test-database.js';
import { memoryLog } from '../support/test-hub.js';

const chromiumPath = '/usr/bin/chromium';
const required = process.env.FIELDSYNC_TEST_BROWSER === '1';
const present = existsSync(chromiumPath);
if (!present && required) throw new Error(`FIELDSYNC_TEST_BROWSER=1 but ${chromiumPath} is missing`);
if (!present)
  console.warn(`console browser tests skipped: ${chromiumPath} is missing (apt install chromium)`);
const artifacts = path.resolve('test-artifacts/console');
const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

describe.skipIf(!present)('web console in chromium', () => {
  let testDb: TestDatabase;
  let erp: TestErp;
  let hub: Hub;
  let browser: BrowserContext;
  let page: Page;
  let admin = '';
  let profile = '';

  const shoot = async (name: string) => {
    for (const [label, size] of Object.entries(viewports)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: path.join(artifacts, `${name}-${label}.png`), fullPage: true });
    }
    await page.setViewportSize(viewports.desktop);
  };
  const api = (method: string, p: string, body?: unknown) =>
    fetch(`${hub.server.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
    mkdirSync(artifacts, { recursive: true });
    testDb = await createTestDatabase('sqlite');
    erp = await startTestErp();
    const flowConfig = validateFlowConfig({
      connectors: {
        erp: { type: 'test-erp', config: { baseUrl: erp.url, token: erp.token, timeoutMs: 5000 } },
      },
      flows: [
        {
          name: 'customers-out',
          direction: 'outbound',
          connector: 'erp',
          source: { kind: 'events', types: ['customer.created', 'customer.updated', 'customer.resync'] },
          entity: 'customer',
          mapping: {
            fields: {
              name: { from: 'customer.name', owner: 'erp', required: true },
              code: { from: 'customer.code', owner: 'erp' },
            },
          },
          target: { entity: 'customer', operation: 'upsert' },
          batchSize: 20,
          retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, jitter: 'none' },
        },
      ],
    });
    const config = loadConfig({ env: {}, overrides: { databaseUrl: testDb.url, 'http.port': 0 } });
    hub = await startHub({
      config,
      handle: testDb.handle,
      migrate: false,
      flowConfig,
      logger: createLogger('error', memoryLog().stream),
    });
    admin = (await createApiToken(testDb.handle.db, { name: 'admin', scopes: ['admin'] })).token;
    profile = mkdtempSync(path.join(os.tmpdir(), 'fieldsync-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      viewport: viewports.desktop,
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await erp?.close();
    await testDb?.drop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('serves the console at / with content types and revalidation headers', async () => {
    const res = await fetch(`${hub.server.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const js = await fetch(`${hub.server.url}/console/main.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const again = await fetch(`${hub.server.url}/console/main.js`, {
      headers: { 'if-none-match': js.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${hub.server.url}/console/..%2Fpackage.json`)).status).toBe(404);
  });

  it('signs in with a token; a bad token is refused', async () => {
    await page.goto(`${hub.server.url}/`);
    await shoot('sign-in');
    await page.fill('#token', 'not-a-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    await page.fill('#token', admin);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Sync health' }).waitFor();
    await page.getByText('customers-out').first().waitFor();
  });

  it('shows a backlog appear and drain on the health page', async () => {
    erp.faults.failNext(3, { kind: 'server_error', status: 503 });
    for (let i = 0; i < 5; i++)
      expect((await api('POST', '/v1/customers', { name: `Backlog ${i}` })).status).toBe(201);
    await page
      .waitForFunction(
        "Number(document.querySelector('[data-testid=total-backlog]')?.textContent ?? '0') > 0",
        undefined,
        { timeout: 20_000 },
      )
      .catch(() => undefined); // the dispatcher may drain between two refreshes; the drain is what must hold
    await page.waitForFunction(
      "document.querySelector('[data-testid=total-backlog]')?.textContent === '0'",
      undefined,
      { timeout: 30_000 },
    );
    await shoot('health');
  });

  it('replays a dead letter and watches it succeed', async () => {
    erp.faults.rejectOps(
      (_e, op) => (op.data as { name?: string } | undefined)?.name === 'Bad name',
      'name refused',
    );
    expect((await api('POST', '/v1/customers', { name: 'Bad name', code: 'DL-1' })).status).toBe(201);
    await page.goto(`${hub.server.url}/#/dead-letters`);
    await page.reload();
    // The backlog test may have left dead letters of its own: act on the row of this one.
    const row = page.getByRole('row').filter({ hasText: 'name refused' });
    const replay = row.locator('[data-testid^=replay-]');
    for (let i = 0; i < 100 && (await replay.count()) === 0; i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    await replay.waitFor();
    await row.getByRole('button', { name: 'Details' }).click();
    await page.getByRole('heading', { name: 'Mapped request' }).waitFor();
    await shoot('dead-letters');
    erp.faults.clear();
    await replay.click();
    await page
      .getByText(/Replay done: all 1 delivered/)
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        await shoot('dead-letters-replay-failed');
        throw new Error(`${String(error)}; page said: ${await page.locator('main').innerText()}`);
      });
    await shoot('dead-letters-replayed');
  });

  it('shows mapping tables and runs a reconciliation to its report', async () => {
    await page.goto(`${hub.server.url}/#/mappings`);
    await page.getByRole('heading', { name: /customers-out/ }).waitFor();
    await shoot('mappings');
    await page.goto(`${hub.server.url}/#/reconcile`);
    await page.getByRole('button', { name: 'Run reconciliation' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/completed|failed/)
      .waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Differences' }).waitFor({ timeout: 30_000 });
    await shoot('reconciliation');
    await page.goto(`${hub.server.url}/#/conflicts`);
    await page.getByRole('heading', { name: 'Conflicts' }).waitFor();
    await shoot('conflicts');
  });
});
