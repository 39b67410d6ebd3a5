/**
 * Units in a browser: an admin adds one on its page and puts a source in it; the units page, the
 * unit selectors of the source, person and token forms, and the dashboard and report filtered by
 * unit, at 1366 and 390 px without sideways scroll, CSP refusals or serious axe-core violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createSource } from '../src/store/sources.ts';
import { createUser, findUser } from '../src/store/users.ts';
import { clickAndLoad } from './support/browser.ts';
import { useBrowserDesk } from './support/browser-desk.ts';
import { password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

describe('units in a browser, on a phone and under audit', function () {
  this.timeout(300_000);
  const desk = useBrowserDesk({ artifacts: ['units'] });

  before(async () => {
    desk.service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), desk.database);
    await people(desk.database.db);
    await createUser(desk.database.db, { username: 'quan', displayName: 'Quân', role: 'admin', password, locale: 'en' });
    await createSource(desk.database.db, { id: 'tuyen-giao', name: 'Tuyên giáo tỉnh', url: 'https://example.org/rss', kind: 'rss', schedule: '*/5 * * * *', fullText: false, enabled: true }, new Date());
  });

  const go = async (url: string) => { await desk.page.goto(`${desk.service.url}${url}`); };
  const submit = (button: ReturnType<Page['getByRole']>) => clickAndLoad(desk.page, button);

  it('adds a unit, puts a source in it, and every unit page passes the audit', async () => {
    await go('/ui/login');
    await desk.page.getByLabel('Username').fill('quan');
    await desk.page.getByLabel('Password').fill(password);
    await submit(desk.page.getByRole('button', { name: 'Sign in' }));

    await desk.page.getByRole('link', { name: 'Units', exact: true }).click();
    await desk.page.getByLabel('Code').fill('so-ngoai-vu');
    await desk.page.getByLabel('Name in Vietnamese').last().fill('Sở Ngoại vụ');
    await desk.page.getByLabel('Name in English (optional)').last().fill('Department of Foreign Affairs');
    await submit(desk.page.getByRole('button', { name: 'Add', exact: true }));
    expect((await desk.page.locator('main .flash').first().textContent())?.trim()).to.equal('Unit Department of Foreign Affairs added.');

    await go('/ui/sources/tuyen-giao');
    await desk.page.getByLabel('Unit').selectOption('so-ngoai-vu');
    await submit(desk.page.getByRole('button', { name: 'Save' }).first());
    expect((await desk.database.db.selectFrom('sources').select('unit_id').where('id', '=', 'tuyen-giao').executeTakeFirstOrThrow()).unit_id).to.equal('so-ngoai-vu');

    const thu = (await findUser(desk.database.db, { username: 'thu' })).id;
    const pages: [string, string][] = [
      ['units', '/ui/units'], ['source', '/ui/sources/tuyen-giao'], ['source-new', '/ui/sources/new'], ['people', '/ui/people'], ['person', `/ui/people/${thu}`],
      ['tokens', '/ui/tokens'], ['dashboard', '/ui/dashboard?unit=so-ngoai-vu'], ['report', '/ui/reports?unit=so-ngoai-vu'],
    ];
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await desk.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, url] of pages) {
        await go(url);
        await desk.page.screenshot({ path: path.join(desk.artifacts, `${name}-${width}.png`), fullPage: true });
        const sideways = await desk.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (sideways > 0) problems.push(`${name} at ${width} px scrolls ${sideways} px sideways`);
        const result = await new AxeBuilder({ page: desk.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          problems.push(`${name} at ${width} px: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    // the dashboard's unit filter chooses by itself; on paper the report says its unit and leaves the filter out
    await go('/ui/dashboard');
    await desk.page.locator('#d-unit').selectOption('so-ngoai-vu');
    await submit(desk.page.getByRole('button', { name: 'Show' }));
    expect(new URL(desk.page.url()).searchParams.get('unit')).to.equal('so-ngoai-vu');
    await go('/ui/reports?unit=so-ngoai-vu');
    await desk.page.emulateMedia({ media: 'print' });
    expect(await desk.page.locator('form.filters').isVisible()).to.equal(false);
    expect(await desk.page.locator('.report-unit').textContent()).to.contain('Unit: Department of Foreign Affairs.');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(desk.refusedByCsp, desk.refusedByCsp.join('\n')).to.deep.equal([]);
  });
});
