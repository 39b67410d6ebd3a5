/**
 * The notification preferences page in a real headless Chromium: a translator chooses e-mail,
 * events and quiet hours, a wrong address is refused in words, the choices are kept; the page at
 * 1366 and 390 px wide passes the same audit as every desk page (no sideways scroll, axe).
 */
import { expect } from 'chai';
import { getPreferences } from '../src/store/notifications.ts';
import { createUser } from '../src/store/users.ts';
import { clickAndLoad } from './support/browser.ts';
import { useBrowserDesk } from './support/browser-desk.ts';
import { auditPage } from './support/page-audit.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

describe('notification preferences in a browser', function () {
  this.timeout(120_000);
  const desk = useBrowserDesk({ artifacts: ['notifications'] });
  let userId: number;

  before(async () => {
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      notifications: { email: { host: '127.0.0.1', port: 2525, from: 'desk@example.org' }, telegram: { apiUrl: 'http://127.0.0.1:9' } },
    }, { NOTIFY_TELEGRAM_BOT_TOKEN: '1:x' });
    desk.service = await startTestService(config, desk.database);
    userId = (await createUser(desk.database.db, { username: 'thu', displayName: 'Thu', role: 'translator', password: 'thu password long', languages: ['en'], locale: 'en' })).id;
  });

  const submit = (name: string) => clickAndLoad(desk.page, desk.page.getByRole('button', { name }));

  it('chooses e-mail, events and quiet hours, refuses a wrong address, and passes the audit on a phone', async () => {
    await desk.page.goto(`${desk.service.url}/ui/login`);
    await desk.page.getByLabel('Username').fill('thu');
    await desk.page.getByLabel('Password').fill('thu password long');
    await submit('Sign in');
    await desk.page.goto(`${desk.service.url}/ui/account`);
    await Promise.all([desk.page.waitForEvent('framenavigated'), desk.page.getByRole('link', { name: /^Notifications/ }).click()]);
    expect(new URL(desk.page.url()).pathname).to.equal('/ui/notifications');
    // a translator is offered the events of their work, not the administrators' ones, nor the office webhook
    expect(await desk.page.getByRole('group', { name: 'What you are told of' }).getByRole('checkbox').count()).to.equal(5);
    expect(await desk.page.getByLabel('To the office webhook (administrators)').count()).to.equal(0);

    await desk.page.getByLabel('By e-mail').check();
    await desk.page.getByLabel('E-mail address').fill('thu@localhost'); // the browser takes it, the desk wants a domain
    await desk.page.getByLabel(/A priority story reached my languages/).check();
    await desk.page.getByLabel(/A translation of mine was sent back/).check();
    await submit('Save notification settings');
    expect(await desk.page.locator('main .flash.error').textContent()).to.contain('Enter an e-mail address such as name@example.org.');
    expect(await desk.page.getByLabel(/A priority story reached my languages/).isChecked(), 'the choices survive the refusal').to.equal(true);

    await desk.page.getByLabel('E-mail address').fill('thu@example.org');
    await desk.page.getByLabel('Quiet from').fill('22:00');
    await desk.page.getByLabel('Quiet until').fill('07:00');
    await submit('Save notification settings');
    expect(await desk.page.locator('main .flash').first().textContent()).to.contain('Your notification settings are saved.');
    expect(await getPreferences(desk.database.db, userId)).to.deep.equal({
      channel: 'email', email: 'thu@example.org', telegramChatId: null, events: ['priority_story', 'sent_back'],
      quiet: { start: 22 * 60, end: 7 * 60 }, digest: false, digestHour: 8,
    });
    expect(await desk.page.getByLabel('Quiet from').inputValue()).to.equal('22:00');

    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await desk.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await desk.page.reload();
      problems.push(...await auditPage(desk.page, `notifications-${width}`, desk.artifacts));
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
