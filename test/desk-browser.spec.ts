/**
 * A new installation in a real headless Chromium (Debian's, through playwright-core), using only
 * the browser: from an empty database to a published and then withdrawn story — the first admin
 * through the set-up link, a source added after its preview, a translator and an editor added,
 * the draft written, approved and taken down. Then every desk page, at 1366 and at 390 px wide:
 * a screenshot under test-artifacts/desk/, no sideways scroll on a phone, nothing refused by the
 * pages' Content-Security-Policy, and an axe-core audit with no serious or critical violation.
 * Without Chromium the suite is skipped with a message.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { BrowserContext, Page } from 'playwright-core';
import { clickAndLoad, openBrowser, skipWithoutChromium, type TestBrowser } from './support/browser.ts';
import { createLogger } from '../src/log.ts';
import { startService, type Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { auditPage } from './support/page-audit.ts';
import { sampleFeed, serveOnLoopback, writeTestConfig, type Loopback } from './support/service.ts';

const artifacts = path.resolve('test-artifacts', 'desk');

describe('desk in a browser: a new installation, and every page on a phone and under audit', function () {
  this.timeout(240_000);
  let database: TestDatabase;
  let service: Service;
  let feed: Loopback;
  let context: BrowserContext;
  let page: Page;
  let browser: TestBrowser | undefined;
  const log: string[] = [];
  const refusedByCsp: string[] = [];

  before(async function () {
    skipWithoutChromium(this);
    database = await freshDatabase();
    feed = await serveOnLoopback({ '/rss': { body: sampleFeed() } });
    const config = writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] });
    const destination = new Writable({ write(chunk, _enc, done) { log.push(String(chunk)); done(); } });
    service = await startService(config, createLogger('warn', { destination, pretty: false }), { schedule: false, database });
    browser = await openBrowser({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
    ({ context, page } = browser);
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refusedByCsp.push(`${page.url()}: ${m.text()}`); });
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await feed?.close();
    await database?.close();
  });

  const go = async (url: string) => { await page.goto(`${service.url}${url}`); };
  const submit = (button: ReturnType<Page['getByRole']>) => clickAndLoad(page, button);
  const flash = async () => (await page.locator('main .flash').first().textContent())?.trim();
  const signIn = async (username: string, password: string) => {
    await context.clearCookies();
    await go('/ui/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await submit(page.getByRole('button', { name: 'Sign in' }));
  };
  const signOut = () => submit(page.getByRole('button', { name: 'Sign out' }));

  it('walks from an empty database to a published story and its withdrawal, in the browser only', async () => {
    await go('/ui/');
    expect(new URL(page.url()).pathname).to.equal('/ui/login');
    expect(await page.locator('#first-admin').textContent()).to.contain('Nobody has an account yet');

    // the first admin, through the one-time link the start printed
    const link = /\/ui\/setup\/[\w-]+/.exec(log.find((l) => l.includes('/ui/setup/'))!)![0];
    await go(link);
    await page.getByLabel('Username').fill('an');
    await page.getByLabel('Name', { exact: true }).fill('Nguyễn An');
    await page.getByLabel(/^New password/).fill('the first admin password');
    await page.getByLabel('The new password again').fill('the first admin password');
    await submit(page.getByRole('button', { name: 'Create the first admin' }));
    await signIn('an', 'the first admin password');

    // a translator for English and an editor
    for (const p of [{ username: 'thu', name: 'Thu', role: 'translator', languages: ['en'] }, { username: 'lan', name: 'Lan', role: 'editor', languages: [] }]) {
      await page.getByRole('link', { name: 'People', exact: true }).click();
      await page.getByLabel('Username').fill(p.username);
      await page.getByLabel('Name', { exact: true }).fill(p.name);
      await page.getByLabel('Role').selectOption(p.role);
      await page.getByLabel('Language of the desk').selectOption('en');
      for (const l of p.languages) await page.getByRole('checkbox', { name: l }).check();
      await page.getByLabel(/^First password/).fill(`${p.username} password long`);
      await submit(page.getByRole('button', { name: 'Add', exact: true }));
      expect(await flash()).to.contain(`${p.name} (${p.username}) can now sign in.`);
    }

    // a source, seen before it is saved
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('link', { name: 'Add a source' }).click();
    await page.getByLabel('Id').fill('tuyen-giao');
    await page.getByLabel('Name', { exact: true }).fill('Tuyên giáo tỉnh');
    await page.getByLabel('Address (URL)').fill(`${feed.url}/rss`);
    await submit(page.getByRole('button', { name: 'Preview' }));
    expect(await page.locator('#preview h2').textContent()).to.equal('The address gives 5 items (RSS). The first:');
    await submit(page.getByRole('button', { name: 'Add the source' }));
    await submit(page.getByRole('button', { name: 'Poll now' }));
    expect(await flash()).to.equal('Polled: 5 new, 0 changed, 0 unchanged, 0 refused.');
    await signOut();

    // the translator writes the English text of the economy story and submits it
    await signIn('thu', 'thu password long');
    await page.getByRole('link', { name: /^Kinh tế tỉnh 10 tháng/ }).click();
    await page.waitForURL(/\/ui\/translations\/\d+$/).catch(async () => { throw new Error(`not on the editor: ${page.url()} ${(await page.locator('main').innerText()).slice(0, 800)}`); });
    await page.getByLabel('Title', { exact: true }).fill('Provincial economy keeps growing in the first 10 months of 2026, exports up 12.5%');
    await submit(page.getByRole('button', { name: 'Save' }));
    expect(await flash()).to.equal('Saved as version 2.');
    await submit(page.getByRole('button', { name: 'Submit for review' }));
    expect(await flash()).to.equal('Submitted for review.');
    const translationUrl = new URL(page.url()).pathname;
    await signOut();

    // the editor approves it (with a written reason for what the checks still find) and it is public
    await signIn('lan', 'lan password long');
    await go(translationUrl);
    if (await page.locator('#qaOverride').isVisible()) await page.locator('#qaOverride').fill('Only the headline goes out today; the body follows in a correction.');
    await submit(page.getByRole('button', { name: 'Approve and publish' }));
    expect(await flash()).to.equal('Approved and published.');
    const publicPage = await page.locator('#public-link').getAttribute('href');
    const id = translationUrl.split('/').pop();
    expect(publicPage).to.equal(`http://localhost:3000/read/en/${id}`);
    expect((await fetch(`${service.url}/read/en/${id}`)).status).to.equal(200);

    // and takes it down
    await page.getByLabel('Reason (kept in the history)').fill('Figures corrected by the provincial statistics office.');
    await submit(page.getByRole('button', { name: 'Withdraw now' }));
    expect(await flash()).to.equal('Withdrawn: the translation has left every feed.');
    expect((await fetch(`${service.url}/read/en/${id}`)).status).to.equal(410);
    await signOut();
  });

  it('shows every desk page at 1366 and 390 px without sideways scroll, CSP refusals or serious accessibility violations', async function () {
    this.timeout(900_000); // 52 audits; each takes seconds on a busy machine
    await signIn('an', 'the first admin password');
    const ids = {
      translation: (await database.db.selectFrom('translations').select('id').where('state', '=', 'withdrawn').executeTakeFirstOrThrow()).id,
      open: (await database.db.selectFrom('translations').select('id').where('state', '=', 'queued').where('audience_id', '=', 'en').executeTakeFirstOrThrow()).id,
      story: (await database.db.selectFrom('stories').select('id').orderBy('id').executeTakeFirstOrThrow()).id,
      person: (await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow()).id,
    };
    // a machine draft that failed, with its reason and the provider's words, on the queue, the editor
    // and the story page; a token whose unit can be changed on the tokens page
    await database.db.updateTable('translations').set({ provider: 'deepl', mt_attempts: 8, error: 'DeepL answered 503: Service Unavailable (a long answer from the provider, kept as the detail)', error_code: 'provider_unavailable', error_values: JSON.stringify({ provider: 'deepl', status: 503 }) }).where('id', '=', ids.open).execute();
    await createToken(database.db, 'cong-thong-tin-dien-tu-tinh', 'editor', 'an');
    const pages: [string, string][] = [
      ['queue', '/ui/queue'], ['editor', `/ui/translations/${ids.open}`], ['editor-withdrawn', `/ui/translations/${ids.translation}`],
      ['story', `/ui/stories/${ids.story}`], ['search', '/ui/search?q=cong+dan'], ['archive', '/ui/search?source=tuyen-giao'],
      ['story-new', '/ui/stories/new'], ['sources', '/ui/sources'], ['source', '/ui/sources/tuyen-giao'], ['source-new', '/ui/sources/new'],
      ['glossary', '/ui/glossary'], ['channels', '/ui/channels'], ['dashboard', '/ui/dashboard'], ['audit', '/ui/audit'],
      ['work', '/ui/work'], ['work-of', '/ui/work/thu'], ['quality', '/ui/quality'], ['reports', '/ui/reports'], ['style-guide', '/ui/style-guides/en'], ['people', '/ui/people'], ['person', `/ui/people/${ids.person}`], ['tokens', '/ui/tokens'], ['partners', '/ui/partners'], ['account', '/ui/account'],
      ['not-found', '/ui/no-such-page'],
    ];
    const problems: string[] = [];
    const audit = async (name: string, width: number) => problems.push(...await auditPage(page, `${name}-${width}`, artifacts));
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, url] of pages) {
        await go(url);
        await audit(name, width);
      }
    }
    // the periodic report on paper: the desk's chrome and controls left out, a PDF from the same page
    await page.setViewportSize({ width: 1366, height: 900 });
    await go('/ui/reports');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible(), 'no menus on paper').to.equal(false);
    expect(await page.locator('form.filters').isVisible()).to.equal(false);
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).to.equal(true);
    const pdf = await page.pdf({ path: path.join(artifacts, 'report.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    await signOut();
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await go('/ui/login');
      await audit('login', width);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(refusedByCsp, refusedByCsp.join('\n')).to.deep.equal([]);
  });
});
