/**
 * The notification preferences page in a real headless Chromium: a translator chooses e-mail,
 * events and quiet hours, a wrong address is refused in words, the choices are kept; the page at
 * 1366 and 390 px wide passes the same audit as every desk page (no sideways scroll, axe).
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Service } from '../src/service.ts';
import { getPreferences } from '../src/store/notifications.ts';
import { createUser } from '../src/store/users.ts';
import { clickAndLoad, openBrowser, skipWithoutChromium, type TestBrowser } from './support/browser.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { auditPage } from './support/page-audit.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

const artifacts = path.resolve('test-artifacts', 'notifications');

describe('notification preferences in a browser', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let service: Service;
  let browser: TestBrowser;
  let page: Page;
  let userId: number;

  before(async function () {
    skipWithoutChromium(this);
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      notifications: { email: { host: '127.0.0.1', port: 2525, from: 'desk@example.org' }, telegram: { apiUrl: 'http://127.0.0.1:9' } },
    }, { NOTIFY_TELEGRAM_BOT_TOKEN: '1:x' });
    service = await startTestService(config, database);
    userId = (await createUser(database.db, { username: 'thu', displayName: 'Thu', role: 'translator', password: 'thu password long', languages: ['en'], locale: 'en' })).id;
    browser = await openBrowser();
    page = browser.page;
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await database?.close();
  });

  const submit = (name: string) => clickAndLoad(page, page.getByRole('button', { name }));

  it('chooses e-mail, events and quiet hours, refuses a wrong address, and passes the audit on a phone', async () => {
    await page.goto(`${service.url}/ui/login`);
    await page.getByLabel('Username').fill('thu');
    await page.getByLabel('Password').fill('thu password long');
    await submit('Sign in');
    await page.goto(`${service.url}/ui/account`);
    await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('link', { name: /^Notifications/ }).click()]);
    expect(new URL(page.url()).pathname).to.equal('/ui/notifications');
    // a translator is offered the events of their work, not the administrators' ones, nor the office webhook
    expect(await page.getByRole('group', { name: 'What you are told of' }).getByRole('checkbox').count()).to.equal(5);
    expect(await page.getByLabel('To the office webhook (administrators)').count()).to.equal(0);

    await page.getByLabel('By e-mail').check();
    await page.getByLabel('E-mail address').fill('thu@localhost'); // the browser takes it, the desk wants a domain
    await page.getByLabel(/A priority story reached my languages/).check();
    await page.getByLabel(/A translation of mine was sent back/).check();
    await submit('Save notification settings');
    expect(await page.locator('main .flash.error').textContent()).to.contain('Enter an e-mail address such as name@example.org.');
    expect(await page.getByLabel(/A priority story reached my languages/).isChecked(), 'the choices survive the refusal').to.equal(true);

    await page.getByLabel('E-mail address').fill('thu@example.org');
    await page.getByLabel('Quiet from').fill('22:00');
    await page.getByLabel('Quiet until').fill('07:00');
    await submit('Save notification settings');
    expect(await page.locator('main .flash').first().textContent()).to.contain('Your notification settings are saved.');
    expect(await getPreferences(database.db, userId)).to.deep.equal({
      channel: 'email', email: 'thu@example.org', telegramChatId: null, events: ['priority_story', 'sent_back'],
      quiet: { start: 22 * 60, end: 7 * 60 }, digest: false, digestHour: 8,
    });
    expect(await page.getByLabel('Quiet from').inputValue()).to.equal('22:00');

    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.reload();
      problems.push(...await auditPage(page, `notifications-${width}`, artifacts));
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
