import { afterAll, beforeAll, describe, it } from 'vitest';
import { createWarehouse, postAdjustment } from '../../src/modules/stock/index.js';
import { newId } from '../../src/shared/ids.js';
import type { TestDatabase } from '../support/test-database.js';
import type { TestHub } from '../support/test-hub.js';
import { startTestHub } from '../support/test-hub.js';
import type { ConsoleBrowser } from './harness.js';
import { browserPresent, launchConsoleBrowser, shoot, signIn } from './harness.js';

/**
 * Lists longer than the console reads (10,000 rows): the page must say it is not seeing everything,
 * and what it does see must not lose rows because a look-up list was cut.
 */
describe.skipIf(!browserPresent)('web console in chromium: lists past the console limit', () => {
  let started: { testHub: TestHub; testDb: TestDatabase };
  let b: ConsoleBrowser;
  const itemCount = 10_050;
  let lastItemId = '';

  beforeAll(async () => {
    started = await startTestHub('sqlite');
    const db = started.testDb.handle.db;
    // Master data written straight to the table: 10,050 items in a moment (ids are time-ordered, so the
    // last ones lie beyond the first 10,000 the console reads).
    const now = new Date().toISOString();
    for (let i = 0; i < itemCount; i += 500) {
      const rows = Array.from({ length: Math.min(500, itemCount - i) }, (_, k) => ({
        id: newId(),
        sku: `LONG-${String(i + k).padStart(5, '0')}`,
        barcode: null,
        name: `Long list item ${i + k}`,
        description: null,
        category: 'parts',
        unit: 'unit',
        list_price_minor: 100,
        cost_price_minor: 50,
        currency: 'EUR',
        kind: 'stocked',
        serial_tracked: 0,
        tax_category: null,
        status: 'active',
        external_refs: '{}',
        version: 1,
        created_at: now,
        updated_at: now,
      }));
      await db.insertInto('items').values(rows).execute();
      lastItemId = rows.at(-1)?.id ?? lastItemId;
    }
    const warehouse = await createWarehouse(db, {
      code: 'LONG-WH',
      name: 'Long store',
      kind: 'central',
      region: 'west',
    });
    await postAdjustment(db, {
      itemId: lastItemId,
      warehouseId: warehouse.id,
      quantityDelta: '4',
      reason: 'test',
    });
    b = await launchConsoleBrowser();
    await signIn(b.page, started.testHub.url, started.testHub.tokens.admin);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await started?.testHub.hub.stop();
    await started?.testDb.drop();
  });

  it('says the item list was cut, and still shows the stock of an item beyond it', async () => {
    const { page } = b;
    await page.goto(`${started.testHub.url}/#/stock`);
    await page
      .getByTestId('truncated')
      .getByText('Only the first 10,000 items were loaded, so this page may miss some')
      .waitFor({ timeout: 30_000 });
    // The item is not among those loaded: its row shows under its id, with its quantity.
    await page.getByTestId(`qty-${lastItemId}-LONG-WH`).getByText('4').waitFor();
    await shoot(page, 'stock-truncated');
  });
});
