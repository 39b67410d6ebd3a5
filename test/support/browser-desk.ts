/**
 * The hooks of a spec that drives the desk in a real Chromium: before the suite (skipped, saying
 * why, without Chromium) a fresh schema, a browser with its page and the screenshots' folder under
 * test-artifacts/; after it the browser, the service the spec started and the schema are closed.
 * The page's Content-Security-Policy refusals are collected for the spec to check. The spec's own
 * `before` starts the service on `desk.database` and writes its rows; its tests read the parts
 * from the rig this returns.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Service } from '../../src/service.ts';
import { openBrowser, skipWithoutChromium, type TestBrowser } from './browser.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

export class BrowserDesk {
  database!: TestDatabase;
  /** Set by the spec's own `before`; closed after the suite. */
  service!: Service;
  browser!: TestBrowser;
  page!: Page;
  /** What the Content-Security-Policy refused, with the page it happened on. */
  readonly refusedByCsp: string[] = [];
  constructor(readonly artifacts: string) {}
}

export function useBrowserDesk(opts: { artifacts: string[]; locale?: string; viewport?: { width: number; height: number } }): BrowserDesk {
  const desk = new BrowserDesk(path.resolve('test-artifacts', ...opts.artifacts));
  before(async function () {
    skipWithoutChromium(this);
    desk.database = await freshDatabase();
    desk.browser = await openBrowser({ locale: opts.locale, viewport: opts.viewport });
    const page = desk.page = desk.browser.page;
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) desk.refusedByCsp.push(`${page.url()}: ${m.text()}`); });
    mkdirSync(desk.artifacts, { recursive: true });
  });
  after(async () => {
    await desk.browser?.close();
    await desk.service?.close();
    await desk.database?.close();
  });
  return desk;
}
