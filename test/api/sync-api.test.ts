import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import type { Hub } from '../../src/hub/index.js';
import { startHub } from '../../src/hub/index.js';
import { createApiToken } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import type { TestDatabase } from '../support/test-database.js';
import { customersOutFlowConfig } from '../support/sync-test-hub.js';
import { createTestDatabase, testEngines } from '../support/test-database.js';
import { memoryLog } from '../support/test-hub.js';
import { describe } from 'vitest';
import { waitFor } from '../sync/sync-fixture.js';

for (const engine of testEngines) {
  describe(`sync API [${engine}]`, () => {
    let testDb: TestDatabase;
    let erp: TestErp;
    let hub: Hub;
    let admin = '';
    let reader = '';
    const call = async (method: string, path: string, body?: unknown, token = admin) => {
      const res = await fetch(`${hub.server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = {};
      }
      return { status: res.status, json, text, headers: res.headers };
    };

    beforeAll(async () => {
      testDb = await createTestDatabase(engine);
      erp = await startTestErp();
      const flowConfig = customersOutFlowConfig(erp.url, erp.token);
      const config = loadConfig({ env: {}, overrides: { databaseUrl: testDb.url, 'http.port': 0 } });
      hub = await startHub({
        config,
        handle: testDb.handle,
        migrate: false,
        flowConfig,
        logger: createLogger('error', memoryLog().stream),
      });
      admin = (await createApiToken(testDb.handle.db, { name: 'admin', scopes: ['admin'] })).token;
      reader = (await createApiToken(testDb.handle.db, { name: 'reader', scopes: ['read'] })).token;
    });
    afterAll(async () => {
      await hub.stop();
      await erp.close();
      await testDb.drop();
    });

    it('reports flows with backlog and connector circuit state', async () => {
      const res = await call('GET', '/v1/sync/status', undefined, reader);
      expect(res.status).toBe(200);
      expect(res.json.engine).toBe('running');
      expect(res.json.flows).toEqual([
        expect.objectContaining({ name: 'customers-out', direction: 'outbound', pending: 0, dead: 0 }),
      ]);
      expect(res.json.connectors).toEqual([
        expect.objectContaining({ name: 'erp', type: 'test-erp', circuit: 'closed' }),
      ]);
    });

    it('prints the mapping table as JSON, Markdown and text', async () => {
      const asJson = await call('GET', '/v1/sync/flows/customers-out/mapping');
      expect(asJson.json.rows).toEqual(
        expect.arrayContaining([expect.objectContaining({ target: 'name', source: 'customer.name' })]),
      );
      const md = await call('GET', '/v1/sync/flows/customers-out/mapping?format=markdown');
      expect(md.headers.get('content-type')).toContain('text/markdown');
      expect(md.text).toMatch(/\| *name *\| *customer\.name *\|/);
      expect((await call('GET', '/v1/sync/flows/nope/mapping')).status).toBe(404);
    });

    it('lists a dead letter with its attempts, refuses replay to non-admins, replays it idempotently', async () => {
      erp.faults.rejectOps(
        (_e, op) => (op.data as { name?: string } | undefined)?.name === 'Bad name',
        'name refused',
      );
      const created = await call('POST', '/v1/customers', { name: 'Bad name', code: 'DL-1' });
      expect(created.status).toBe(201);
      await waitFor(
        async () => ((await call('GET', '/v1/sync/dead-letters')).json.data as unknown[]).length === 1,
        20_000,
        'dead letter',
      );
      const list = await call(
        'GET',
        '/v1/sync/dead-letters?flow=customers-out&errorClass=validation',
        undefined,
        reader,
      );
      const [letter] = list.json.data as { id: number; subject: string }[];
      expect(letter?.subject).toBe(`customer/${String(created.json.id)}`);
      const detail = await call('GET', `/v1/sync/dead-letters/${letter?.id}`, undefined, reader);
      expect(detail.json).toMatchObject({ errorClass: 'validation', event: { type: 'customer.created' } });
      expect((detail.json.attempts as unknown[]).length).toBeGreaterThanOrEqual(1);

      expect((await call('POST', '/v1/sync/dead-letters/replay', { all: true }, reader)).status).toBe(403);
      expect((await call('POST', '/v1/sync/dead-letters/replay', {})).status).toBe(400);
      erp.faults.clear();
      const replay = await call('POST', '/v1/sync/dead-letters/replay', { ids: [letter?.id] });
      expect(replay.json).toEqual({ replayed: 1, replayId: expect.any(String) });
      expect((await call('POST', '/v1/sync/dead-letters/replay', { ids: [letter?.id] })).json).toEqual({
        replayed: 0,
        replayId: null,
      });
      await waitFor(
        async () => erp.store.all('customer').some((r) => r.data.code === 'DL-1'),
        20_000,
        'replayed delivery',
      );
      expect(erp.store.all('customer').filter((r) => r.data.code === 'DL-1')).toHaveLength(1);
    });

    it('runs a reconciliation in the background and reports 0 differences after sync', async () => {
      for (let i = 0; i < 5; i += 1)
        await call('POST', '/v1/customers', { name: `Recon ${i}`, code: `RC-${i}` });
      await waitFor(
        async () =>
          ((await call('GET', '/v1/sync/status')).json.flows as { pending: number; inFlight: number }[])[0]
            ?.pending === 0,
        20_000,
        'drained',
      );
      await waitFor(async () => erp.store.all('customer').length === 6, 20_000, 'all in ERP');
      const started = await call('POST', '/v1/sync/reconciliations', {
        connector: 'erp',
        entity: 'customer',
      });
      expect(started.status).toBe(202);
      const id = String(started.json.id);
      await waitFor(
        async () => (await call('GET', `/v1/sync/reconciliations/${id}`)).json.status !== 'running',
        20_000,
        'recon done',
      );
      const run = await call('GET', `/v1/sync/reconciliations/${id}`, undefined, reader);
      expect(run.json).toMatchObject({ status: 'completed', differences: 0, accuracy: 1 });
      expect(
        (await call('POST', '/v1/sync/reconciliations', { connector: 'missing', entity: 'customer' })).status,
      ).toBe(404);
      expect(
        (await call('POST', '/v1/sync/reconciliations', { connector: 'erp', entity: 'customer' }, reader))
          .status,
      ).toBe(403);
    });

    it('lists conflicts and pull status; resolving an unknown conflict is a 404, a bad body a 400', async () => {
      const conflicts = await call('GET', '/v1/sync/conflicts?status=open', undefined, reader);
      expect(conflicts.status).toBe(200);
      expect(conflicts.json.data).toEqual([]);
      expect((await call('POST', '/v1/sync/conflicts/nope/resolve', { resolution: 'take_erp' })).status).toBe(
        404,
      );
      expect((await call('POST', '/v1/sync/conflicts/nope/resolve', { resolution: 'edit' })).status).toBe(
        400,
      );
      expect(
        (await call('POST', '/v1/sync/conflicts/nope/resolve', { resolution: 'take_erp' }, reader)).status,
      ).toBe(403);
      const pulls = await call('GET', '/v1/sync/pulls', undefined, reader);
      expect(pulls.json.data).toEqual([]);
      expect((await call('POST', '/v1/sync/pulls/none/run', {})).status).toBe(404);
    });

    it('serves KPI series and alert states', async () => {
      const to = new Date().toISOString();
      const from = new Date(Date.now() - 3600_000).toISOString();
      const kpi = await call(
        'GET',
        `/v1/sync/kpis?name=recon_accuracy&from=${from}&to=${to}&bucketSeconds=600`,
        undefined,
        reader,
      );
      expect(kpi.status).toBe(200);
      expect(Array.isArray(kpi.json.points)).toBe(true);
      expect((await call('GET', `/v1/sync/kpis?name=bogus&from=${from}&to=${to}`)).status).toBe(400);
      const alerts = await call('GET', '/v1/sync/alerts', undefined, reader);
      expect(alerts.status).toBe(200);
      const metrics = await fetch(`${hub.server.url}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/fieldsync_sync_delivered_total\{flow="customers-out"\} \d+/);
      expect(metrics).toMatch(/fieldsync_sync_backlog\{flow="customers-out"\} 0/);
    });
  });
}
