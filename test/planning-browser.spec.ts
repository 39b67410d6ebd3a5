/**
 * The planning page in a real headless Chromium (Debian's, through playwright-core): an editor
 * chooses translate for one audience, ticks stories and skips the rest in bulk, marks a story as
 * priority and takes one down with a reason — then the page at 1366 and 390 px wide: no sideways
 * scroll, and an axe-core audit with no serious or critical violation; screenshots under
 * test-artifacts/desk/. Without Chromium the suite is skipped with a message.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { clickAndLoad } from './support/browser.ts';
import { useBrowserDesk } from './support/browser-desk.ts';
import { auditPage } from './support/page-audit.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const password = 'correct horse battery staple';

describe('the planning page in a browser', function () {
  this.timeout(240_000);
  const desk = useBrowserDesk({ artifacts: ['desk'] });
  const stories: number[] = [];

  before(async () => {
    const planning = { mode: 'planning' };
    desk.service = await startTestService(writeTestConfig({ audiences: ['en', 'fr', 'ru', 'zh', 'ja', 'ko', 'lo', 'km'].map((id) => ({ id, language: id, provider: 'manual', routing: planning })) }), desk.database);
    await createUser(desk.database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password, locale: 'en' });
    const api = apiClient(desk.service.url, await createToken(desk.database.db, 'feed', 'editor'));
    for (const [i, title] of ['Hội nghị hợp tác kinh tế Việt Nam – Lào lần thứ nhất tại Viêng Chăn', 'Thu hoạch lúa ở Đồng Tháp', 'Thông cáo về bảo hộ công dân'].entries()) {
      const res = await api('POST', '/api/v1/stories', { id: `b-${i}`, title, summary: 'Tóm tắt ngắn.', bodyHtml: `<p>${title}.</p>`, category: i === 1 ? 'Nông nghiệp' : 'Đối ngoại' });
      stories.push(res.body.data.id);
    }
  });

  const submit = (button: ReturnType<Page['getByRole']>) => clickAndLoad(desk.page, button);
  const flash = async () => (await desk.page.locator('main .flash').first().textContent())?.trim();
  const card = (title: string) => desk.page.locator('li.plan-story', { has: desk.page.getByRole('heading', { name: title }) });

  it('lets an editor choose, in bulk too, change priority and take a story down', async () => {
    await desk.page.goto(`${desk.service.url}/ui/login`);
    await desk.page.getByLabel('Username').fill('lan');
    await desk.page.getByLabel('Password').fill(password);
    await submit(desk.page.getByRole('button', { name: 'Sign in' }));
    await desk.page.getByRole('link', { name: 'Planning' }).click();
    await desk.page.waitForLoadState();
    expect(await desk.page.getByRole('heading', { level: 1 }).textContent()).to.equal('Planning');

    const laos = card('Hội nghị hợp tác kinh tế Việt Nam – Lào lần thứ nhất tại Viêng Chăn');
    await submit(laos.getByRole('button', { name: 'Translate for fr' }));
    expect(await flash()).to.equal('fr will translate this story.');
    expect(await laos.locator('.plan-cell', { hasText: 'fr · fr' }).textContent()).to.contain('Waiting for a draft');

    await card('Thu hoạch lúa ở Đồng Tháp').getByRole('checkbox').check();
    await submit(desk.page.getByRole('button', { name: 'Skip', exact: true }).first());
    expect(await flash()).to.equal('8 choices to skip recorded.');
    expect(await card('Thu hoạch lúa ở Đồng Tháp').count(), 'a story with nothing left to decide leaves the waiting list').to.equal(0);

    const notice = card('Thông cáo về bảo hộ công dân');
    await submit(notice.getByRole('button', { name: 'Mark as priority' }));
    expect(await flash()).to.equal('Marked as priority; 8 more audiences take it.');
    await desk.page.goto(`${desk.service.url}/ui/planning?show=all`);
    await card('Thông cáo về bảo hộ công dân').getByText('Take down everywhere').click();
    await card('Thông cáo về bảo hộ công dân').getByLabel('Reason').fill('Sent by mistake.');
    await submit(card('Thông cáo về bảo hộ công dân').getByRole('button', { name: 'Take down', exact: true }));
    expect(await flash()).to.equal('8 translations taken down.');
    const states = await desk.database.db.selectFrom('translations').select('state').where('story_id', '=', stories[2]!).execute();
    expect(states.map((s) => s.state)).to.deep.equal(Array(8).fill('withdrawn'));
  });

  it('shows the page at 1366 and 390 px without sideways scroll or serious accessibility violations', async () => {
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await desk.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, url] of [['planning', '/ui/planning?show=all'], ['planning-waiting', '/ui/planning']] as const) {
        await desk.page.goto(`${desk.service.url}${url}`);
        problems.push(...await auditPage(desk.page, `${name}-${width}`, desk.artifacts));
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
