import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What every console browser test shares: Debian's chromium driven by playwright-core (never a
 * downloaded browser), screenshots at 1280×800 and 390 px, and the checks that hold on every page.
 * The console is built once per run by test/support/global-setup.ts.
 */
export const chromiumPath = '/usr/bin/chromium';
const required = process.env.FIELDSYNC_TEST_BROWSER === '1';
export const browserPresent = existsSync(chromiumPath);
if (!browserPresent && required) throw new Error(`FIELDSYNC_TEST_BROWSER=1 but ${chromiumPath} is missing`);
if (!browserPresent)
  console.warn(`console browser tests skipped: ${chromiumPath} is missing (apt install chromium)`);

export const artifacts = path.resolve('test-artifacts/console');
export const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

export interface ConsoleBrowser {
  page: Page;
  /** Uncaught errors the pages threw; a test ends by expecting none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'fieldsync-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
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
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page fits the viewport's width: nothing to scroll sideways except inside a table's own box. */
export async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${label} is wider than the screen by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** A full-page screenshot at both viewports, each checked for sideways scrolling; back to desktop after. */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    await expectNoSidewaysScroll(page, `${name} at ${label}`);
    await page.screenshot({ path: path.join(artifacts, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Sync health' }).waitFor();
}

/** Goes to a page through the menu, as a person would (on a phone, through the Menu button). */
export async function navigate(page: Page, label: string): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Menu' });
  if (await toggle.isVisible()) await toggle.click();
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: label, exact: true })
    .click();
}
