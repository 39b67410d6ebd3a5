/**
 * The review desk in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core):
 * a translator signs in, opens the queue, edits a draft, sees a QA error appear for a wrong number,
 * fixes it and submits; an editor approves; the item is in the feed. An approval of a text changed
 * since it was opened is refused and shows the newer text, on a phone too; the token page shows
 * which tokens skip the QA gate. Screenshots of the queue and the editor go to test-artifacts/.
 * Without Chromium the suite is skipped with a message.
 */
import { expect } from 'chai';
import path from 'node:path';
import { useBrowserDesk } from './support/browser-desk.ts';
import { auditPage } from './support/page-audit.ts';
import { createToken } from '../src/store/tokens.ts';
import { changeState, saveText } from '../src/store/translations.ts';
import { createUser } from '../src/store/users.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

describe('review desk in a browser', function () {
  this.timeout(90_000);
  const desk = useBrowserDesk({ artifacts: [], viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  let id: number;

  before(async () => {
    desk.service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), desk.database);
    await people(desk.database.db);
    id = await draft(desk.database.db, { guid: 'e2e', priority: true });
  });

  async function signIn(username: string) {
    await desk.page.goto(`${desk.service.url}/ui/queue`);
    await desk.page.waitForURL(/\/ui\/login/);
    await desk.page.getByLabel('Username').fill(username);
    await desk.page.getByLabel('Password').fill(password);
    await desk.page.getByRole('button', { name: 'Sign in' }).click();
    await desk.page.waitForURL(/\/ui\/queue/);
  }

  /** The page's message after a form was sent; on a miss, says what the page showed instead. */
  async function expectFlash(expected: string) {
    const flash = desk.page.locator('main .flash').first();
    try {
      await flash.waitFor({ timeout: 15_000 });
    } catch {
      throw new Error(`no message "${expected}" after the form was sent; the page at ${desk.page.url()} shows: ${(await desk.page.locator('main').innerText().catch(() => '(no main)')).slice(0, 1500)}`);
    }
    expect(await flash.textContent()).to.equal(expected);
  }

  it('edits a draft, flags a wrong number while typing, and submits the fixed text', async () => {
    await signIn('thu');
    expect(await desk.page.getByRole('heading', { name: 'Translation queue' }).isVisible()).to.equal(true);
    await desk.page.screenshot({ path: path.join(desk.artifacts, 'queue.png'), fullPage: true });

    await desk.page.getByRole('link', { name: 'Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân' }).click();
    await desk.page.waitForURL(new RegExp(`/ui/translations/${id}$`));
    await desk.page.locator('#qa .ok').waitFor();

    const paragraph = desk.page.getByLabel('Paragraph 1');
    const good = await paragraph.inputValue();
    await paragraph.fill(good.replace('3,600', '36,000'));
    const error = desk.page.locator('#qa li.error', { hasText: '3.600' });
    await error.waitFor();
    expect(await error.textContent()).to.contain("the source's 3.600 (3,600) is not in the translation");
    expect(await desk.page.locator('#qa').getAttribute('aria-live')).to.equal('polite');
    await desk.page.screenshot({ path: path.join(desk.artifacts, 'editor.png'), fullPage: true });

    await paragraph.fill(good.replace('citizens', 'Vietnamese citizens'));
    await desk.page.locator('#qa .ok').waitFor();
    await Promise.all([desk.page.waitForEvent('framenavigated'), desk.page.keyboard.press('Control+s')]);
    await desk.page.waitForLoadState();
    await expectFlash('Saved as version 2.');
    await Promise.all([desk.page.waitForEvent('framenavigated'), desk.page.getByRole('button', { name: 'Submit for review' }).click()]);
    await desk.page.waitForLoadState();
    await expectFlash('Submitted for review.');
    const row = await desk.database.db.selectFrom('translations').select(['state', 'version', 'last_editor']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ state: 'in_review', version: 2, last_editor: 'thu' });
  });

  it('is approved by a second person and appears in the feed', async () => {
    await desk.page.getByRole('button', { name: 'Sign out' }).click();
    await desk.page.waitForURL(/\/ui\/login/);
    await signIn('lan');
    await desk.page.goto(`${desk.service.url}/ui/translations/${id}`);
    await desk.page.locator('#qa .ok').waitFor();
    await Promise.all([desk.page.waitForEvent('framenavigated'), desk.page.getByRole('button', { name: 'Approve and publish' }).click()]);
    await desk.page.waitForLoadState();
    await expectFlash('Approved and published.');
    const feed = await (await fetch(`${desk.service.url}/feeds/en/rss.xml`)).text();
    expect(feed).to.contain('Foreign Ministry spokesperson on citizen protection');
    expect(feed).to.contain('Vietnamese citizens');
  });

  it('stays usable on a tablet: one column, the QA panel below the text', async () => {
    await desk.page.setViewportSize({ width: 800, height: 1280 });
    await desk.page.goto(`${desk.service.url}/ui/translations/${id}`);
    const form = await desk.page.locator('#editor').boundingBox();
    const side = await desk.page.locator('aside.side').boundingBox();
    expect(side!.y).to.be.greaterThan(form!.y + form!.height - 1);
    expect(form!.width).to.be.at.most(800);
    await desk.page.screenshot({ path: path.join(desk.artifacts, 'editor-tablet.png'), fullPage: true });
  });

  const audit = (name: string) => auditPage(desk.page, name, desk.artifacts);

  it('refuses, on a phone, an approval of a text changed since the page was opened, and shows the newer text', async () => {
    const changed = await draft(desk.database.db, { guid: 'e2e-changed' });
    await changeState(desk.database.db, changed, 'in_review', 'thu', new Date());
    await desk.page.setViewportSize({ width: 390, height: 844 });
    await desk.page.goto(`${desk.service.url}/ui/translations/${changed}`); // lan is still signed in
    expect(await desk.page.locator('input[name="version"]').first().inputValue()).to.equal('1');
    // the translator saves while the editor reads
    await saveText(desk.database.db, changed, { title: 'Spokesperson: consular protection in ten months', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', bodyHtml: '<p>On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.</p>\n<p>The missions helped 186 citizens with repatriation procedures.</p>' }, 1, 'thu', 'edit', new Date());
    await Promise.all([desk.page.waitForEvent('framenavigated'), desk.page.getByRole('button', { name: 'Approve and publish' }).click()]);
    await desk.page.waitForLoadState();
    const conflict = desk.page.locator('#conflict');
    await conflict.waitFor();
    expect(await conflict.getByRole('heading').textContent()).to.equal('The text changed after you opened it');
    expect(await conflict.innerText(), 'who saved which version, and the newer text').to.contain('Version 2 by thu is now the current text').and.contain('Spokesperson: consular protection in ten months');
    expect(await desk.page.getByLabel('Title', { exact: true }).inputValue()).to.equal('Spokesperson: consular protection in ten months');
    const row = await desk.database.db.selectFrom('translations').select(['state', 'version']).where('id', '=', changed).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ state: 'in_review', version: 2 });
    expect(await audit('editor-changed-390')).to.deep.equal([]);
  });

  it('shows on the token page which tokens skip the QA gate, at 1366 and 390 px', async () => {
    await createUser(desk.database.db, { username: 'an', displayName: 'An', role: 'admin', password, locale: 'en' });
    await createToken(desk.database.db, 'wire', 'editor', 'an', { qaBypass: true });
    await createToken(desk.database.db, 'cms', 'editor', 'an');
    await desk.page.getByRole('button', { name: 'Sign out' }).click();
    await desk.page.waitForURL(/\/ui\/login/);
    await signIn('an');
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      await desk.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await desk.page.goto(`${desk.service.url}/ui/tokens`);
      expect(await desk.page.getByRole('row', { name: /wire/ }).getByText('Bypassed by this token').isVisible()).to.equal(true);
      expect(await desk.page.getByLabel('Its approvals skip the accuracy checks (QA gate)').isChecked()).to.equal(false);
      problems.push(...await audit(`tokens-${width}`));
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
