/**
 * The routing page in a real headless Chromium (Debian's, through playwright-core): an admin adds
 * a never-rule for one audience through the form, edits it, sees a story pushed next skipped by it,
 * deletes it, and sets an audience's monthly budget — then the routing page, and the planning page
 * and the dashboard with a spent budget's warning, at 1366 and 390 px wide in English and
 * Vietnamese: no sideways scroll, no squeezed buttons, no serious or critical axe finding;
 * screenshots under test-artifacts/desk/. Without Chromium the suite is skipped with a message.
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

describe('the routing page in a browser', function () {
  this.timeout(240_000);
  const desk = useBrowserDesk({ artifacts: ['desk'] });
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    desk.service = await startTestService(writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', provider: 'manual' },
        { id: 'fr', language: 'fr', provider: 'manual', routing: { mode: 'planning', take: [{ name: 'Laos', regions: ['Lào', 'Viêng Chăn'] }] } },
        { id: 'lo', language: 'lo', provider: 'manual', monthlyCharacterBudget: 500_000 },
      ],
      sources: [{ id: 'baoquocte', name: 'Báo Quốc tế', url: 'http://127.0.0.1:9/rss.xml', enabled: false }],
    }), desk.database);
    await createUser(desk.database.db, { username: 'an', displayName: 'An', role: 'admin', password, locale: 'en' });
    await createUser(desk.database.db, { username: 'binh', displayName: 'Bình', role: 'admin', password, locale: 'vi' });
    editor = apiClient(desk.service.url, await createToken(desk.database.db, 'feed', 'editor'));
  });

  const submit = (button: ReturnType<Page['getByRole']>) => clickAndLoad(desk.page, button);
  const flash = async () => (await desk.page.locator('main .flash[role="status"]').first().textContent())?.trim();
  const section = (id: string) => desk.page.locator(`#audience-${id}`);
  const signIn = async (username: string, button: string) => {
    await desk.browser.context.clearCookies();
    await desk.page.goto(`${desk.service.url}/ui/login`);
    await desk.page.locator('#username, input[name="username"]').first().fill(username);
    await desk.page.locator('input[name="password"]').fill(password);
    await submit(desk.page.getByRole('button', { name: button }));
  };
  const routeOf = async (storyId: number, audience: string) => {
    const routes = (await editor('GET', `/api/v1/stories/${storyId}/routes`)).body.data as { audience: string; choice: string; rule: string }[];
    const r = routes.find((x) => x.audience === audience)!;
    return `${r.choice} ${r.rule}`;
  };

  it('lets an admin add, edit and delete a rule, with the next story routed by it, and set a budget', async () => {
    await signIn('an', 'Sign in');
    await desk.page.getByRole('link', { name: 'Routing and budgets' }).click();
    await desk.page.waitForLoadState();
    expect(await desk.page.getByRole('heading', { level: 1 }).textContent()).to.equal('Routing and budgets');

    const en = section('en');
    await en.getByText('Add a rule').click();
    await en.getByLabel('Kind of rule').selectOption('never');
    await en.getByLabel('Name (shown on the planning page)').first().fill('lottery');
    await en.getByLabel('Keywords').first().fill('xo so');
    await submit(en.getByRole('button', { name: 'Add the rule' }));
    expect(await flash()).to.equal('Rule added: en never takes the stories it matches.');
    expect(await section('en').locator('ol.rules li').first().textContent()).to.contain('lottery').and.contain('xo so');

    const lottery = (await (await editor('POST', '/api/v1/stories', { id: 'xs-1', title: 'Kết quả xổ số miền Bắc', bodyHtml: '<p>Kết quả.</p>' })).body).data.id as number;
    await desk.service.settled();
    expect(await routeOf(lottery, 'en'), '"xo so" without diacritics matches "xổ số"').to.equal('skip never:lottery');

    await section('en').getByText('Edit', { exact: true }).first().click();
    await section('en').locator('ol.rules').getByLabel('Báo Quốc tế').check();
    await submit(section('en').getByRole('button', { name: 'Save' }).nth(1));
    expect(await flash()).to.equal('The rule of en is saved.');
    const pushed = (await (await editor('POST', '/api/v1/stories', { id: 'xs-2', title: 'Kết quả xổ số miền Nam', bodyHtml: '<p>Kết quả.</p>' })).body).data.id as number;
    await desk.service.settled();
    expect(await routeOf(pushed, 'en'), 'the rule now needs the source too; a pushed story has none').to.equal('take everything');

    await section('en').getByText('Edit', { exact: true }).first().click();
    await submit(section('en').getByRole('button', { name: 'Delete' }));
    expect(await flash()).to.equal('The rule of en is deleted.');
    expect(await section('en').locator('ol.rules').count()).to.equal(0);

    // a rule with nothing to match is refused on the page, with what was typed kept
    const fr = section('fr');
    await fr.getByText('Add a rule').click();
    await fr.getByLabel('Name (shown on the planning page)').last().fill('empty');
    await submit(fr.getByRole('button', { name: 'Add the rule' }));
    expect(await section('fr').getByRole('alert').textContent()).to.equal('A rule needs at least one source, topic, keyword or region.');
    expect(await section('fr').getByLabel('Name (shown on the planning page)').last().inputValue()).to.equal('empty');

    // en's budget: 0 characters, spent at once — the warning the planning page and the dashboard show
    await desk.page.goto(`${desk.service.url}/ui/routing`);
    await section('en').getByLabel('Characters a month').fill('0');
    await submit(section('en').getByRole('button', { name: 'Save' }).last());
    expect(await flash()).to.equal('The budget of en is 0 characters a month.');
    await desk.page.goto(`${desk.service.url}/ui/planning?show=all`);
    expect(await desk.page.locator('.budget-warnings').textContent()).to.contain('en has spent its monthly budget');
  });

  it('shows the pages at 1366 and 390 px in English and Vietnamese without sideways scroll or serious accessibility violations', async () => {
    const problems: string[] = [];
    for (const [user, button] of [['an', 'Sign in'], ['binh', 'Sign in']] as const) {
      await desk.page.setViewportSize({ width: 1366, height: 900 });
      await signIn(user, button);
      for (const width of [1366, 390]) {
        await desk.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const [name, url] of [['routing', '/ui/routing'], ['planning-budget', '/ui/planning?show=all'], ['dashboard-budget', '/ui/dashboard']] as const) {
          await desk.page.goto(`${desk.service.url}${url}`);
          // the forms folded away too: open every <details> so that the audit sees them
          await desk.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          problems.push(...await auditPage(desk.page, `${name}-${user}-${width}`, desk.artifacts));
        }
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
