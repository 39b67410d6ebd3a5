/**
 * A real headless Chromium for the browser specs (Debian's, through playwright-core) in a profile
 * of its own that is removed with it; a suite skips itself, saying why, on a machine without one.
 * The flags keep Chromium off the network it would otherwise reach for at every start.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** In a `before(function () { … })`: skips the suite when there is no Chromium. */
export function skipWithoutChromium(suite: Mocha.Context): void {
  if (existsSync(chromiumPath)) return;
  console.log(`      (skipped: no Chromium at ${chromiumPath}; install it with "apt-get install chromium" or set CHROMIUM_PATH)`);
  suite.skip();
}

export interface TestBrowser { context: BrowserContext; page: Page; close(): Promise<void> }

export async function openBrowser(opts: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'doingoai-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, viewport: opts.viewport ?? { width: 1366, height: 900 }, locale: opts.locale ?? 'en-GB', args: launchArgs,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Clicks what submits a form or follows a link, and waits until the page it leads to has loaded. */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), target.click()]);
  await page.waitForLoadState();
}
