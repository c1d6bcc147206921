import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getItemBySku } from '../../src/modules/items/index.js';
import { createWarehouse, getOnHand } from '../../src/modules/stock/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import { createTestDatabase } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { receive, seedTryton, VAN } from './e2e/tryton-seed.js';
import type { TrytonSeed } from './e2e/tryton-seed.js';
import { configFor } from './support.js';

const examplePath = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));
const skip = trytonSkipReason();
const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

describe.skipIf(skip !== undefined)(
  `tryton-stock-levels-in pulls on-hand into the ledger ${skip ?? ''}`,
  () => {
    let tryton: TrytonHandle;
    let testDb: TestDatabase;
    let seed: TrytonSeed;
    beforeAll(async () => {
      tryton = await startTryton();
      seed = await seedTryton(tryton);
      testDb = await createTestDatabase('sqlite');
    });
    afterAll(async () => {
      await testDb?.drop();
      await tryton?.stop();
    });

    it('initial levels, then a Tryton receipt through the incremental pull', async () => {
      const raw = parse(readFileSync(examplePath, 'utf8')) as {
        connectors: { tryton: { config: Record<string, unknown> } };
        flows: { name: string; enabled?: boolean }[];
      };
      raw.connectors.tryton.config = { ...raw.connectors.tryton.config, ...configFor(tryton) };
      for (const flow of raw.flows)
        flow.enabled = flow.name === 'tryton-items-in' || flow.name === 'tryton-stock-levels-in';
      const db = testDb.handle.db;
      const van = await createWarehouse(db, {
        code: VAN,
        name: 'Van E2E',
        kind: 'van',
        region: 'e2e',
        erpLocationRef: VAN,
      });
      const engine = new SyncEngine({ db, logger: quiet(), flowConfig: validateFlowConfig(raw), pollMs: 50 });
      try {
        expect((await engine.pulls.runOnce('tryton-items-in')).pullErrors).toBe(0);
        const first = await engine.pulls.runOnce('tryton-stock-levels-in');
        expect([first.outcome, first.pullErrors]).toEqual(['completed', 0]);
        const level = async (sku: string) => {
          const item = await getItemBySku(db, sku);
          const [pair] = await getOnHand(db, {
            itemId: item?.id ?? '',
            warehouseId: van.id,
            includeZero: true,
          });
          return pair?.quantity ?? '0';
        };
        for (const [sku, quantity] of Object.entries(seed.stock))
          expect(await level(sku)).toBe(String(quantity));

        await receive(tryton, tryton.client(), seed.van, [
          { product: seed.products['E2E-BELT']?.id ?? 0, quantity: 5, unitPrice: '20.00' },
        ]);
        const next = await engine.pulls.runOnce('tryton-stock-levels-in');
        expect([next.outcome, next.pullErrors, next.conflicts]).toEqual(['completed', 0, 0]);
        expect(await level('E2E-BELT')).toBe(String((seed.stock['E2E-BELT'] ?? 0) + 5));
        expect(await level('E2E-FLT')).toBe(String(seed.stock['E2E-FLT']));
      } finally {
        await engine.stop();
      }
    }, 180_000);
  },
);
