/**
 * The planning page in a real headless Chromium (Debian's, through playwright-core): an editor
 * chooses translate for one audience, ticks stories and skips the rest in bulk, marks a story as
 * priority and takes one down with a reason — then the page at 1366 and 390 px wide: no sideways
 * scroll, and an axe-core audit with no serious or critical violation; screenshots under
 * test-artifacts/desk/. Without Chromium the suite is skipped with a message.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { clickAndLoad, openBrowser, skipWithoutChromium, type TestBrowser } from './support/browser.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { auditPage } from './support/page-audit.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const artifacts = path.resolve('test-artifacts', 'desk');
const password = 'correct horse battery staple';

describe('the planning page in a browser', function () {
  this.timeout(240_000);
  let database: TestDatabase;
  let service: Service;
  let browser: TestBrowser;
  let page: Page;
  const stories: number[] = [];

  before(async function () {
    skipWithoutChromium(this);
    database = await freshDatabase();
    const planning = { mode: 'planning' };
    service = await startTestService(writeTestConfig({ audiences: ['en', 'fr', 'ru', 'zh', 'ja', 'ko', 'lo', 'km'].map((id) => ({ id, language: id, provider: 'manual', routing: planning })) }), database);
    await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password, locale: 'en' });
    const api = apiClient(service.url, await createToken(database.db, 'feed', 'editor'));
    for (const [i, title] of ['Hội nghị hợp tác kinh tế Việt Nam – Lào lần thứ nhất tại Viêng Chăn', 'Thu hoạch lúa ở Đồng Tháp', 'Thông cáo về bảo hộ công dân'].entries()) {
      const res = await api('POST', '/api/v1/stories', { id: `b-${i}`, title, summary: 'Tóm tắt ngắn.', bodyHtml: `<p>${title}.</p>`, category: i === 1 ? 'Nông nghiệp' : 'Đối ngoại' });
      stories.push(res.body.data.id);
    }
    browser = await openBrowser();
    page = browser.page;
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await database?.close();
  });

  const submit = (button: ReturnType<Page['getByRole']>) => clickAndLoad(page, button);
  const flash = async () => (await page.locator('main .flash').first().textContent())?.trim();
  const card = (title: string) => page.locator('li.plan-story', { has: page.getByRole('heading', { name: title }) });

  it('lets an editor choose, in bulk too, change priority and take a story down', async () => {
    await page.goto(`${service.url}/ui/login`);
    await page.getByLabel('Username').fill('lan');
    await page.getByLabel('Password').fill(password);
    await submit(page.getByRole('button', { name: 'Sign in' }));
    await page.getByRole('link', { name: 'Planning' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Planning');

    const laos = card('Hội nghị hợp tác kinh tế Việt Nam – Lào lần thứ nhất tại Viêng Chăn');
    await submit(laos.getByRole('button', { name: 'Translate for fr' }));
    expect(await flash()).to.equal('fr will translate this story.');
    expect(await laos.locator('.plan-cell', { hasText: 'fr · fr' }).textContent()).to.contain('Waiting for a draft');

    await card('Thu hoạch lúa ở Đồng Tháp').getByRole('checkbox').check();
    await submit(page.getByRole('button', { name: 'Skip', exact: true }).first());
    expect(await flash()).to.equal('8 choices to skip recorded.');
    expect(await card('Thu hoạch lúa ở Đồng Tháp').count(), 'a story with nothing left to decide leaves the waiting list').to.equal(0);

    const notice = card('Thông cáo về bảo hộ công dân');
    await submit(notice.getByRole('button', { name: 'Mark as priority' }));
    expect(await flash()).to.equal('Marked as priority; 8 more audiences take it.');
    await page.goto(`${service.url}/ui/planning?show=all`);
    await card('Thông cáo về bảo hộ công dân').getByText('Take down everywhere').click();
    await card('Thông cáo về bảo hộ công dân').getByLabel('Reason').fill('Sent by mistake.');
    await submit(card('Thông cáo về bảo hộ công dân').getByRole('button', { name: 'Take down', exact: true }));
    expect(await flash()).to.equal('8 translations taken down.');
    const states = await database.db.selectFrom('translations').select('state').where('story_id', '=', stories[2]!).execute();
    expect(states.map((s) => s.state)).to.deep.equal(Array(8).fill('withdrawn'));
  });

  it('shows the page at 1366 and 390 px without sideways scroll or serious accessibility violations', async () => {
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, url] of [['planning', '/ui/planning?show=all'], ['planning-waiting', '/ui/planning']] as const) {
        await page.goto(`${service.url}${url}`);
        problems.push(...await auditPage(page, `${name}-${width}`, artifacts));
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
