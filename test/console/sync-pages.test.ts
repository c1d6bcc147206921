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
import { waitFor } from '../sync/sync-fixture.js';
import type { ConsoleBrowser } from './harness.js';
import { browserPresent, launchConsoleBrowser, navigate, shoot } from './harness.js';
import { customersOutFlow } from '../support/sync-test-hub.js';

/** customers-out sends customers to the loopback test ERP; customers-in pulls them back (on demand). */
function flows(erp: TestErp) {
  const connection = { baseUrl: erp.url, token: erp.token, timeoutMs: 5000 };
  return validateFlowConfig({
    connectors: { erp: { type: 'test-erp', config: connection } },
    flows: [
      customersOutFlow,
      {
        name: 'customers-in',
        direction: 'inbound',
        connector: 'erp',
        // Runs when the test asks (POST /v1/sync/pulls/customers-in/run), not on its own.
        source: { kind: 'pull', entity: 'customer', schedule: { everySeconds: 86_400 } },
        entity: 'customer',
        mapping: {
          fields: {
            name: { from: 'name', owner: 'erp', required: true },
            code: { from: 'code', owner: 'erp' },
            phone: { from: 'phone', owner: 'fieldsync' },
          },
        },
        target: { entity: 'customer', operation: 'upsert' },
      },
    ],
  });
}

const nameOf = (op: { data?: unknown }) => String((op.data as { name?: string } | undefined)?.name);

describe.skipIf(!browserPresent)('web console in chromium: sync pages', () => {
  let testDb: TestDatabase;
  let erp: TestErp;
  let hub: Hub;
  let b: ConsoleBrowser;
  let admin = '';
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${hub.server.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const deadLetters = async () =>
    (await api('GET', '/v1/sync/dead-letters?limit=500')).json.data as { id: number; error: string }[];

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    erp = await startTestErp();
    const config = loadConfig({ env: {}, overrides: { databaseUrl: testDb.url, 'http.port': 0 } });
    hub = await startHub({
      config,
      handle: testDb.handle,
      migrate: false,
      flowConfig: flows(erp),
      logger: createLogger('error', memoryLog().stream),
    });
    admin = (await createApiToken(testDb.handle.db, { name: 'admin', scopes: ['admin'] })).token;
    b = await launchConsoleBrowser();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await hub?.stop();
    await erp?.close();
    await testDb?.drop();
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
    const { page } = b;
    await page.goto(`${hub.server.url}/`);
    await shoot(page, 'sign-in');
    await page.fill('#token', 'not-a-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    await page.fill('#token', admin);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Sync health' }).waitFor();
    await page.getByText('customers-out').first().waitFor();
  });

  it('shows a backlog appear while the ERP holds back, and drain once it answers', async () => {
    const { page } = b;
    // The ERP rate-limits every call until cleared: the backlog cannot drain before the page has shown
    // it (no race with the dispatcher), and no letter dies meanwhile (a rate limit is not the record's fault).
    erp.faults.failNext(10_000, { kind: 'rate_limited', retryAfterSeconds: 1 });
    await navigate(page, 'Sync health');
    for (let i = 0; i < 5; i++)
      expect((await api('POST', '/v1/customers', { name: `Backlog ${i}` })).status).toBe(201);
    await page.waitForFunction(
      "Number(document.querySelector('[data-testid=total-backlog]')?.textContent ?? '0') >= 5",
      undefined,
      { timeout: 20_000 },
    );
    await page
      .getByRole('row')
      .filter({ hasText: 'test-erp' })
      .getByText(/^(open|half_open)$/)
      .waitFor();
    await shoot(page, 'health-backlog');
    erp.faults.clear();
    await page.waitForFunction(
      "document.querySelector('[data-testid=total-backlog]')?.textContent === '0'",
      undefined,
      { timeout: 30_000 },
    );
    await page.getByRole('row').filter({ hasText: 'test-erp' }).getByText('closed').waitFor();
    expect(await page.getByTestId('total-dead').textContent()).toBe('0');
    expect(erp.store.all('customer').filter((r) => String(r.data.name).startsWith('Backlog'))).toHaveLength(
      5,
    );
    await shoot(page, 'health');
  });

  it('replays a dead letter and watches it succeed', async () => {
    const { page } = b;
    erp.faults.rejectOps((_e, op) => nameOf(op) === 'Bad name', 'name refused');
    expect((await api('POST', '/v1/customers', { name: 'Bad name', code: 'DL-1' })).status).toBe(201);
    await waitFor(
      async () => (await deadLetters()).some((d) => d.error.includes('name refused')),
      20_000,
      'dead letter',
    );
    await navigate(page, 'Dead letters');
    const row = page.getByTestId('dead-letter-list').getByRole('row').filter({ hasText: 'name refused' });
    await row.getByRole('button', { name: 'Details' }).click();
    await page.getByRole('heading', { name: 'Mapped request' }).waitFor();
    await shoot(page, 'dead-letters');
    erp.faults.clear();
    await row.locator('[data-testid^=replay-]').click();
    await page
      .getByText('Replay done: all 1 delivered.')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}; page said: ${await page.locator('main').innerText()}`);
      });
    expect(erp.store.all('customer').filter((r) => r.data.code === 'DL-1')).toHaveLength(1);
    expect(await row.count()).toBe(0);
    await shoot(page, 'dead-letters-replayed');
  });

  it('replays in bulk with live progress, and the replay can be left and found again', async () => {
    const { page } = b;
    const poison = ['Bulk 1', 'Bulk 2', 'Bulk 3', 'Bulk 4'];
    erp.faults.rejectOps((_e, op) => poison.includes(nameOf(op)), 'bulk refused');
    for (const name of poison) expect((await api('POST', '/v1/customers', { name })).status).toBe(201);
    await waitFor(async () => (await deadLetters()).length === 4, 20_000, 'four dead letters');
    // Three causes fixed, one not; every ERP call takes 2 s, so the replay is seen while it runs.
    erp.faults.clear();
    erp.faults.rejectOps((_e, op) => nameOf(op) === 'Bulk 4', 'still refused');
    erp.faults.setLatency(2000);
    await navigate(page, 'Sync health');
    await navigate(page, 'Dead letters');
    await page.getByRole('row').filter({ hasText: 'bulk refused' }).first().waitFor();
    expect(
      await page.getByTestId('dead-letter-list').getByRole('row').filter({ hasText: 'bulk refused' }).count(),
    ).toBe(4);
    // Nothing ticked, nothing to replay: the button waits for a selection (it once sent `ids: []`, which
    // the API read as "every dead letter").
    const replaySelected = page.getByRole('button', { name: 'Replay selected' });
    expect(await replaySelected.isDisabled()).toBe(true);
    const firstBox = page.getByTestId('dead-letter-list').getByRole('checkbox').first();
    await firstBox.check();
    expect(await replaySelected.isEnabled()).toBe(true);
    expect(await replaySelected.textContent()).toBe('Replay selected (1)');
    await firstBox.uncheck();
    expect(await replaySelected.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Replay all' }).click();
    await page.getByText(/^Replaying 4: 0 delivered, 4 pending, 0 dead again/).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('replay-progress-pending').textContent()).toBe('4');
    await page.getByText('Replay done: 3 delivered, 1 still dead').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-progress-delivered').textContent()).toBe('3');
    expect(await page.getByTestId('replay-progress-dead-again').textContent()).toBe('1');
    erp.faults.setLatency(0);

    // Leave, then find it again through the menu and the replay list.
    await navigate(page, 'Sync health');
    await navigate(page, 'Dead letters');
    const listPolls: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (r.url().includes('/v1/sync/replays?')) listPolls.push(r.url());
    };
    page.on('request', onRequest);
    await page.getByRole('link', { name: 'Replays' }).click();
    await page.getByRole('heading', { name: 'Replays' }).waitFor();
    // Every replay here has finished: their figures are final, so the list stops asking (it asked every
    // 2 s for ever, each time recounting every replay's letters).
    await page.getByTestId('replays-live').getByText('Every replay shown has finished').waitFor();
    await new Promise((r) => setTimeout(r, 2500));
    page.off('request', onRequest);
    expect(listPolls).toHaveLength(1);
    await page.getByRole('row').filter({ hasText: 'all' }).first().getByRole('link').click();
    await page.getByTestId('replay-outcome').getByText('Replay done: 3 delivered, 1 still dead').waitFor();
    await page.getByRole('row').filter({ hasText: 'still refused' }).waitFor();
    await shoot(page, 'replay');
    erp.faults.clear();
  });

  it('resolves a conflict by taking the ERP value', async () => {
    const { page } = b;
    const [record] = erp.store.seed('customer', [
      { data: { name: 'Conflict Co', code: 'CON-1', phone: '+32 9 100' } },
    ]);
    expect((await api('POST', '/v1/sync/pulls/customers-in/run', {})).status).toBe(200);
    // The ERP changes a field Fieldsync owns: the next pull holds it as a conflict instead of applying it.
    erp.store.mutate('customer', record?.id ?? '', { phone: '+32 9 999' });
    const run = await api('POST', '/v1/sync/pulls/customers-in/run', {});
    expect(run.json).toMatchObject({ conflicts: 1 });
    await navigate(page, 'Conflicts');
    const row = page.getByRole('row').filter({ hasText: 'phone' });
    await row.getByText('+32 9 999').waitFor();
    await row.getByText('+32 9 100').waitFor();
    await shoot(page, 'conflicts');
    await row.getByRole('button', { name: 'Take ERP' }).click();
    await page.getByText('Resolved customer phone: take_erp.').waitFor();
    expect(await row.count()).toBe(0);
    const customers = (await api('GET', '/v1/customers?code=CON-1')).json.data as { phone: string }[];
    expect(customers[0]?.phone).toBe('+32 9 999');
  });

  it('shows mapping tables and runs a reconciliation to its report', async () => {
    const { page } = b;
    await navigate(page, 'Mappings');
    await page.getByRole('heading', { name: /customers-out/ }).waitFor();
    await shoot(page, 'mappings');
    await navigate(page, 'Reconciliation');
    await page.getByRole('button', { name: 'Run reconciliation' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/completed|failed/)
      .waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Differences' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-status').textContent()).toContain('completed');
    await shoot(page, 'reconciliation');
    expect(b.pageErrors).toEqual([]);
  });
});
