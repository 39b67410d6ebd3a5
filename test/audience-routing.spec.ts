/**
 * Routing rules and budgets per audience as admins set them in the desk (/ui/routing and
 * /api/v1/audiences), through the running service: rules saved there route the next ingested
 * story (no provider call for the audiences that skip it) and are in the audit trail; a refused
 * rule is explained in the admin's language; an audience past its own monthly budget parks only its
 * own normal work, the planning page and the dashboard warn at 80 % and 100 %, and raising the
 * budget or a new month resumes it. Through deepl-node against the DeepL test server.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { jobPriority, TRANSLATE_STORY } from '../src/translate/translate-story.job.ts';
import { useDeepLService } from './support/deepl-service.ts';
import { type DeepLTestServer } from './support/deepl-server.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { insertStory, translateRequests } from './support/translate.ts';
import { eventually } from './support/wait.ts';
import { WebSession } from './support/web-session.ts';

const password = 'correct horse battery staple';

function config(deepl: DeepLTestServer, audiences: Record<string, unknown>[]): Config {
  return writeTestConfig({
    audiences,
    translation: { retry: { baseDelayMs: 5, maxAttempts: 3 }, quotaCheckSeconds: 1 },
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
}

describe('routing rules and budgets set in the desk', function () {
  this.timeout(60_000);
  const rig = useDeepLService();

  const admin = async (username = 'an', locale = 'en') => {
    await createUser(rig.database.db, { username, displayName: username, role: 'admin', password, locale });
    const web = new WebSession(rig.service!.url);
    expect((await web.login(username, password)).status).to.equal(303);
    await web.get('/ui/routing');
    return web;
  };
  const targets = () => translateRequests(rig.deepl).map((r) => r.params.target_lang!.toUpperCase()).sort();

  describe('routing', () => {
    let editor: ReturnType<typeof apiClient>;
    beforeEach(async () => {
      rig.service = await startTestService(config(rig.deepl, [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', routing: { never: [{ name: 'sport', keywords: ['bóng đá'] }] } },
      ]), rig.database);
      editor = apiClient(rig.service.url, await createToken(rig.database.db, 'lan', 'editor'));
    });
    const push = async (id: string, title: string) => {
      const res = await editor('POST', '/api/v1/stories', { id, title, bodyHtml: `<p>${title}.</p>` });
      expect(res.status).to.equal(201);
      await rig.service!.settled();
      return res.body.data.id as number;
    };
    const routes = async (storyId: number) => Object.fromEntries((await editor('GET', `/api/v1/stories/${storyId}/routes`)).body.data
      .map((r: { audience: string; choice: string; rule: string }) => [r.audience, `${r.choice} ${r.rule}`]));

    it('routes the next story by the rules an admin saved, without a restart, and records who changed them', async () => {
      const web = await admin();
      const page = await web.get('/ui/routing');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Rules from the configuration file.');
      // fr: its configuration's rule is the starting point; the desk's rules then replace it
      let res = await web.post('/ui/routing/fr/rules', { version: '', kind: 'never', name: 'farming', keywords: 'lua\nnông nghiệp', categories: '', regions: '' });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      expect(res.location).to.equal('/ui/routing#audience-fr');
      res = await web.post('/ui/routing/en/rules', { version: '', kind: 'take', name: 'Laos', regions: 'Viêng Chăn', keywords: '', categories: '' });
      expect(res.status).to.equal(303);
      const after = await web.get('/ui/routing');
      expect(after.text).to.contain('Rule added: en takes the stories it matches.');
      expect(after.text).to.match(/Rules saved in the desk by an on/);

      rig.deepl.reset();
      // "lua" without diacritics matches "lúa": fr never takes it; en takes only Laos
      const rice = await push('rice', 'Thu hoạch lúa ở Đồng Tháp');
      expect(await routes(rice)).to.deep.equal({ en: 'skip no-rule', fr: 'skip never:farming' });
      expect((await editor('GET', `/api/v1/stories/${rice}/translations`)).body.data).to.deep.equal([]);
      expect(targets(), 'no provider call for audiences that skip the story').to.deep.equal([]);
      // the configuration's never-rule was copied at the first change, and stays with the desk's
      const football = await push('football', 'Đội bóng đá đến Viêng Chăn');
      expect(await routes(football)).to.deep.equal({ en: 'take take:Laos', fr: 'skip never:sport' });
      expect(targets()).to.deep.equal(['EN-GB']);

      const audit = await rig.database.db.selectFrom('audit_log').select(['actor', 'action', 'target', 'status']).where('action', 'like', '%/routing/%').orderBy('id').execute();
      expect(audit.map((a) => `${a.actor} ${a.action} ${a.target} ${a.status}`)).to.deep.equal([
        'an POST /ui/routing/:audience/rules /ui/routing/fr/rules 303',
        'an POST /ui/routing/:audience/rules /ui/routing/en/rules 303',
      ]);

      // planning mode from the desk: the next story waits for an editor, nothing is spent
      const version = (await rig.database.db.selectFrom('audience_routing').select('version').where('audience_id', '=', 'en').executeTakeFirstOrThrow()).version;
      expect((await web.post('/ui/routing/en/mode', { version: String(version), mode: 'planning', priority: 'every' })).status).to.equal(303);
      rig.deepl.reset();
      const visit = await push('visit', 'Thủ tướng thăm Viêng Chăn');
      expect((await routes(visit)).en).to.equal('plan take:Laos');
      expect(targets()).to.deep.equal(['FR']);

      // back to the configuration: en takes every story again
      expect((await web.post('/ui/routing/en/reset', {})).status).to.equal(303);
      const any = await push('any', 'Tin kinh tế');
      expect(await routes(any)).to.deep.equal({ en: 'take everything', fr: 'take everything' });
    });

    it('refuses a rule without criteria, an edit made on an older copy, and explains in the admin\'s language', async () => {
      const web = await admin('an', 'en');
      const empty = await web.post('/ui/routing/en/rules', { version: '', kind: 'take', name: 'Nothing', keywords: ' \n ', categories: '', regions: '' });
      expect(empty.status).to.equal(400);
      expect(empty.text).to.contain('A rule needs at least one source, topic, keyword or region.');
      expect(empty.text, 'what was typed is kept').to.contain('value="Nothing"');
      expect(await rig.database.db.selectFrom('audience_routing').selectAll().execute()).to.deep.equal([]);

      expect((await web.post('/ui/routing/en/rules', { version: '', kind: 'never', name: 'a', keywords: 'x' })).status).to.equal(303);
      // a second admin still looking at the configuration's rules
      const late = await web.post('/ui/routing/en/rules', { version: '', kind: 'never', name: 'b', keywords: 'y' });
      expect(late.status).to.equal(409);
      expect(late.text).to.contain('Someone changed the routing of en meanwhile.');

      const vi = await admin('binh', 'vi');
      const unknown = await vi.post('/ui/routing/fr/rules', { version: '', kind: 'take', name: 'x', sources: 'no-such-source' });
      expect(unknown.status).to.equal(400);
      expect(unknown.text).to.contain('Không có nguồn “no-such-source”.');
      const budget = await vi.post('/ui/routing/fr/budget', { action: 'set', monthlyCharacters: 'một nghìn' });
      expect(budget.status).to.equal(400);
      expect(budget.text).to.contain('Ngân sách là một số nguyên ký tự, từ 0 trở lên.');

      // editors may not change routing
      await createUser(rig.database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password, locale: 'en' });
      const ed = new WebSession(rig.service!.url);
      await ed.login('lan', password);
      expect((await ed.get('/ui/routing')).status).to.equal(403);
    });

    it('takes the same changes through the API', async () => {
      const adminApi = apiClient(rig.service!.url, await createToken(rig.database.db, 'ops', 'admin'));
      const put = await adminApi('PUT', '/api/v1/audiences/fr/routing', { routing: { mode: 'automatic', take: [{ name: 'Laos', regions: ['Lào'] }] } });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      expect(put.body.data.routing).to.include({ origin: 'desk', version: 1, mode: 'automatic', priority: 'every' });
      const rice = await push('rice-api', 'Thu hoạch lúa ở Đồng Tháp');
      expect(await routes(rice)).to.deep.equal({ en: 'take everything', fr: 'skip no-rule' });
      expect((await adminApi('PUT', '/api/v1/audiences/fr/routing', { routing: { take: [{ name: 'x' }] } })).status).to.equal(400);
      expect((await editor('PUT', '/api/v1/audiences/fr/routing', { routing: null })).status).to.equal(403);
      expect((await adminApi('PUT', '/api/v1/audiences/fr/routing', { routing: null })).body.data.routing.origin).to.equal('configuration');
    });
  });

  describe('budgets per audience', () => {
    let now: Date;
    const send = (storyId: number) => rig.service!.jobs.send(TRANSLATE_STORY, { storyId, priority: false }, { priority: jobPriority(false) });
    const stateOf = async (storyId: number, audience: string) => (await rig.database.db.selectFrom('translations').select(['state', 'mt_waiting'])
      .where('story_id', '=', storyId).where('audience_id', '=', audience).executeTakeFirstOrThrow());
    const billed = async (audience: string) => Number((await rig.database.db.selectFrom('translation_usage').select((eb) => eb.fn.sum<string>('billed_characters').as('n')).where('audience_id', '=', audience).executeTakeFirstOrThrow()).n ?? 0);

    it('parks only the audience past its own budget, warns at 80 % and 100 %, and resumes when the budget is raised or the month turns', async () => {
      now = new Date('2026-12-02T10:00:00Z');
      const cfg = config(rig.deepl, [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB', monthlyCharacterBudget: 10 },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' },
      ]);
      rig.service = await startTestService(cfg, rig.database, () => now);
      const first = await insertStory(rig.database.db, cfg.audiences, { title: 'Câu chuyện đầu tiên dài hơn mười ký tự' });
      await send(first.id);
      await rig.service.settled();
      expect(await billed('en')).to.be.greaterThanOrEqual(10);

      rig.deepl.reset();
      const second = await insertStory(rig.database.db, cfg.audiences, { title: 'Tin thường thứ hai' });
      await send(second.id);
      await rig.service.settled();
      expect(await stateOf(second.id, 'en')).to.deep.equal({ state: 'queued', mt_waiting: 'budget' });
      expect(await stateOf(second.id, 'fr')).to.deep.equal({ state: 'machine_translated', mt_waiting: null });
      expect(targets(), 'nothing was sent for the audience past its budget').to.deep.equal(['FR']);
      const urgent = await insertStory(rig.database.db, cfg.audiences.slice(0, 1), { title: 'Tuyên bố chính thức', priority: true });
      await rig.service.jobs.send(TRANSLATE_STORY, { storyId: urgent.id, priority: true }, { priority: jobPriority(true) });
      await rig.service.settled();
      expect((await stateOf(urgent.id, 'en')).state, 'a priority story still goes').to.equal('machine_translated');

      // fr's budget, set in the desk, at about 90 % of what it billed: the 80 % warning
      const web = await admin();
      const frBilled = await billed('fr');
      const frBudget = Math.ceil(frBilled / 0.9);
      expect((await web.post('/ui/routing/fr/budget', { action: 'set', monthlyCharacters: String(frBudget) })).status).to.equal(303);
      const percent = Math.floor((100 * frBilled) / frBudget);
      expect(percent).to.be.within(80, 99);
      const enBilled = await billed('en');
      const near = `fr has spent ${percent} % of its monthly budget: ${frBilled.toLocaleString('en')} of ${frBudget.toLocaleString('en')} characters.`;
      const spent = `en has spent its monthly budget (${enBilled.toLocaleString('en')} of ${(10).toLocaleString('en')} characters)`;
      for (const url of ['/ui/planning', '/ui/dashboard']) {
        const page = await web.get(url);
        expect(page.status).to.equal(200);
        expect(page.text, url).to.contain(near);
        expect(page.text, url).to.contain(spent);
      }

      // raising en's budget lets its parked work go at once
      rig.deepl.reset();
      expect((await web.post('/ui/routing/en/budget', { action: 'set', monthlyCharacters: '1 000 000' })).status).to.equal(303);
      await eventually('the parked en draft', async () => (await stateOf(second.id, 'en')).state === 'machine_translated');
      expect(targets()).to.deep.equal(['EN-GB']);
      const usage = await apiClient(rig.service.url, await createToken(rig.database.db, 'ops', 'admin'))('GET', '/api/v1/audiences');
      expect(usage.body.data.find((a: { audience: string }) => a.audience === 'en').budget).to.include({ origin: 'desk', monthlyCharacters: 1_000_000, level: 'ok' });
      expect(usage.body.data.find((a: { audience: string }) => a.audience === 'fr').budget).to.include({ origin: 'desk', monthlyCharacters: frBudget, billed: frBilled, level: 'near' });

      // back to the configuration's 10 characters: parked again; a new month lets it go
      expect((await web.post('/ui/routing/en/budget', { action: 'configuration' })).status).to.equal(303);
      const third = await insertStory(rig.database.db, cfg.audiences.slice(0, 1), { title: 'Tin thường thứ ba' });
      await send(third.id);
      await rig.service.settled();
      expect(await stateOf(third.id, 'en')).to.deep.equal({ state: 'queued', mt_waiting: 'budget' });
      now = new Date('2027-01-01T00:05:00Z');
      await eventually('the draft in the new month', async () => (await stateOf(third.id, 'en')).state === 'machine_translated', { timeoutMs: 10_000 });
    });
  });
});
