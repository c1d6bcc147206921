import type { Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/test-database.js';
import type { TestHub } from '../support/test-hub.js';
import { startTestHub } from '../support/test-hub.js';
import type { ConsoleBrowser } from './harness.js';
import { browserPresent, launchConsoleBrowser, navigate, signIn } from './harness.js';

describe.skipIf(!browserPresent)('web console in chromium: navigation', () => {
  let started: { testHub: TestHub; testDb: TestDatabase };
  let b: ConsoleBrowser;

  beforeAll(async () => {
    started = await startTestHub('sqlite');
    b = await launchConsoleBrowser();
    await signIn(b.page, started.testHub.url, started.testHub.tokens.admin);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await started?.testHub.hub.stop();
    await started?.testDb.drop();
  });

  it('a page left while it was still loading does not keep polling once it finishes', async () => {
    const { page } = b;
    const listUrl = '**/v1/imports?limit=20';
    // Hold the Imports page's first load until the user has moved on.
    let held: Route | undefined;
    await page.route(listUrl, async (route) => {
      if (held === undefined) held = route;
      else await route.continue();
    });
    await navigate(page, 'Imports');
    await expect.poll(() => held !== undefined, { timeout: 10_000 }).toBe(true);
    await navigate(page, 'Stock');
    await page.getByRole('heading', { name: 'Stock' }).waitFor();

    const polls: string[] = [];
    const onRequest = (r: Request) => {
      if (r.url().includes('/v1/imports?limit=20')) polls.push(r.url());
    };
    page.on('request', onRequest);
    const answered = page.waitForEvent('requestfinished', (r) => r.url().includes('/v1/imports?limit=20'));
    await held?.continue();
    await answered;
    // The Imports page polls every 2 s; left before it was drawn, it must not start.
    await new Promise((r) => setTimeout(r, 2500));
    page.off('request', onRequest);
    await page.unroute(listUrl);
    expect(polls).toEqual([]);
    await page.getByRole('heading', { name: 'Stock' }).waitFor();
    expect(b.pageErrors).toEqual([]);
  });
});
