/**
 * Following false claims up, on a scripted morning with a fixed clock: a false claim seen at 07:00
 * in an English outlet (and a second outlet carrying the same story before the answer), answered
 * through the real flow (deepl-node against the DeepL test server, review, publication) in English
 * at 09:15 and Chinese at 10:00, then said again after the answer by an item of the same story and
 * a new appearance; two other false claims still open, one past its deadline. The follow-up figures
 * (API) and the dashboard's panel (in Vietnamese) are checked to the second.
 */
import { expect } from 'chai';
import { parseHTML } from 'linkedom';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

describe('false claim follow-up and the dashboard panel', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let deepl: DeepLTestServer;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let now = new Date('2026-12-01T07:30:00Z');
  const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
  const ids: Record<string, number> = {};

  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
        { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS' },
      ],
      sources: [
        { id: 'harbour', name: 'Harbour Times', url: 'http://127.0.0.1:9/en.xml', language: 'en', enabled: false },
        { id: 'coast', name: 'Coast Post', url: 'http://127.0.0.1:9/coast.xml', language: 'en', enabled: false },
      ],
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }), database, () => now);
    // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'lan password long', locale: 'vi' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
  });

  async function item(guid: string, sourceId: string, firstSeen: string, sameAs: number | null = null): Promise<number> {
    return (await database.db.insertInto('foreign_items').values({
      source_id: sourceId, guid, language: 'en', url: `https://${sourceId}.example/${guid}`, title: `Dam story ${guid}`, content_hash: guid, first_seen_at: at(firstSeen), same_as: sameAs,
    }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function approve(audience: string, time: string) {
    now = at(time);
    const answer = (await editor('GET', `/api/v1/false-claims/${ids.answered}/answer`)).body.data;
    const t = answer.translations.find((x: { audienceId: string }) => x.audienceId === audience);
    const submitted = await translator('POST', `/api/v1/translations/${t.id}/submit`);
    expect(submitted.status).to.equal(200);
    const approved = await editor('POST', `/api/v1/translations/${t.id}/approve`, { version: submitted.body.data.version });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    await service.settled();
  }

  it('times the answer in each language from the first sighting, and counts where it was said again after the answer', async () => {
    const a = await item('a', 'harbour', '07:00');
    await item('c', 'coast', '07:20', a); // the same story elsewhere, before any answer
    const created = await editor('POST', '/api/v1/false-claims', { text: 'Một con đập ở Quảng Nam bị vỡ.', rating: 'false', foreignItemId: a });
    ids.answered = created.body.data.id;
    await editor('POST', `/api/v1/false-claims/${ids.answered}/appearances`, { url: 'https://lianhe.example/news/dam', outlet: 'Lianhe Daily', language: 'zh', firstSeenAt: '2026-12-01T07:40:00Z' });
    ids.late = (await editor('POST', '/api/v1/false-claims', { text: 'Ảnh giả về lũ lụt.', rating: 'misleading', priority: true })).body.data.id; // due 08:30
    ids.open = (await editor('POST', '/api/v1/false-claims', { text: 'Tin đồn về giá xăng.', rating: 'lacks_context', deadlineAt: '2026-12-01T12:00:00Z' })).body.data.id;

    now = at('08:00');
    const written = await editor('POST', `/api/v1/false-claims/${ids.answered}/answer`, {
      title: 'Không có đập nào bị vỡ', bodyHtml: '<p>Thông tin này là sai sự thật.</p>', sources: [{ title: 'Bộ Nông nghiệp và Môi trường', url: 'https://mae.gov.vn/thong-cao' }],
    });
    expect(written.body.data.audiences).to.deep.equal(['en', 'zh']);
    await service.settled();
    const before = (await editor('GET', `/api/v1/false-claims/${ids.answered}/follow-up`)).body.data;
    expect(before).to.deep.equal({ firstSeenAt: '2026-12-01T07:00:00.000Z', answeredAt: null, answers: [], spreadAfter: [] });

    await approve('en', '09:15');
    await approve('zh', '10:00');
    const b = await item('b', 'coast', '10:30', a); // said again, same story, after the answer
    await item('d', 'coast', '10:40'); // another story: not this false claim
    now = at('10:55');
    await editor('POST', `/api/v1/false-claims/${ids.answered}/appearances`, { url: 'https://coast.example/b', outlet: 'Coast Post', language: 'en', firstSeenAt: '2026-12-01T10:30:00Z' });
    await editor('POST', `/api/v1/false-claims/${ids.answered}/appearances`, { url: 'https://forum.example/t/99', outlet: 'a forum', language: 'en', firstSeenAt: '2026-12-01T10:50:00Z' });
    expect(b).to.be.a('number');

    now = at('11:00');
    const f = (await editor('GET', `/api/v1/false-claims/${ids.answered}/follow-up`)).body.data;
    expect(f.answeredAt).to.equal('2026-12-01T09:15:00.000Z');
    expect(f.answers.map((x: { audienceId: string; seconds: number; publishedAt: string }) => [x.audienceId, x.seconds, x.publishedAt])).to.deep.equal([
      ['en', 8100, '2026-12-01T09:15:00.000Z'], ['zh', 10800, '2026-12-01T10:00:00.000Z'],
    ]);
    expect(f.spreadAfter.map((s: { url: string; kind: string }) => `${s.kind} ${s.url}`), 'the item registered as an appearance counts once').to.deep.equal([
      'appearance https://coast.example/b', 'appearance https://forum.example/t/99',
    ]);
  });

  it('shows open false claims against their deadlines and the week\'s answers with their follow-up on the dashboard and the false claim\'s page', async () => {
    const desk = new WebSession(service.url, { 'accept-language': 'vi' });
    await desk.login('lan', 'lan password long');
    const page = await desk.get('/ui/dashboard');
    expect(page.status).to.equal(200);
    const { document } = parseHTML(page.text);
    const rows = (id: string) => [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.querySelector('li') ? [...td.querySelectorAll('li')].map((li) => li.textContent).join(' | ') : td.textContent!).replace(/\s+/g, ' ').trim()).concat(tr.className === 'overdue' ? ['!'] : []));
    expect(rows('false-claims-open')).to.deep.equal([
      ['Ảnh giả về lũ lụt. Ưu tiên', 'Mới', 'Chưa giao', '2026-12-01 08:30 UTC', 'quá hạn 2 giờ 30 phút', '!'],
      ['Tin đồn về giá xăng.', 'Mới', 'Chưa giao', '2026-12-01 12:00 UTC', 'còn 1 giờ 00 phút'],
    ]);
    expect(rows('false-claims-answered')).to.deep.equal([
      ['Một con đập ở Quảng Nam bị vỡ.', '2026-12-01 07:00 UTC', 'en: 2 giờ 15 phút | zh: 3 giờ 00 phút', '2', '!'],
    ]);

    const claimPage = parseHTML((await desk.get(`/ui/false-claims/${ids.answered}`)).text).document;
    expect([...claimPage.querySelectorAll('#follow-up-times li')].map((li) => li.textContent)).to.deep.equal([
      'en: đăng sau 2 giờ 15 phút kể từ khi phát hiện', 'zh: đăng sau 3 giờ 00 phút kể từ khi phát hiện',
    ]);
    expect([...claimPage.querySelectorAll('#follow-up-spread a')].map((a) => a.getAttribute('href'))).to.deep.equal(['https://coast.example/b', 'https://forum.example/t/99']);
  });
});
