/**
 * The false claim register: made from a monitored item (its appearance and first sighting come
 * with it) or by hand, a rating from the configured scale, its own deadline (shorter when
 * priority), the person responsible, and a status that moves only as core/false-claim.ts allows,
 * each change in its history; in the API and in the desk (Vietnamese), on a fixed clock.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

describe('false claim register', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let now = new Date('2026-12-01T09:00:00Z');
  let itemId: number;
  let lanId: number;

  before(async () => {
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      sources: [{ id: 'harbour', name: 'Harbour Times', url: 'http://127.0.0.1:9/en.xml', language: 'en', enabled: false }],
      falseClaims: { deadlineMinutes: 180, priorityDeadlineMinutes: 45 },
    });
    service = await startTestService(config, database, () => now);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    lanId = (await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'lan password long', locale: 'vi' })).id;
    await createUser(database.db, { username: 'thu', displayName: 'Thu', role: 'translator', password: 'thu password long', locale: 'vi' });
    itemId = (await database.db.insertInto('foreign_items').values({
      source_id: 'harbour', guid: 'ht-1', language: 'en', url: 'https://harbour-times.example/asia/ht-1', title: 'Vietnam dam collapse claim spreads online', content_hash: 'x',
      first_seen_at: new Date('2026-12-01T08:00:00Z'), vi_title: 'Tin đồn vỡ đập lan truyền trên mạng', vi_version: 1,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('registers one from a monitored item, with its appearance and a deadline from its first sighting', async () => {
    const created = await editor('POST', '/api/v1/false-claims', { text: 'Một con đập ở Quảng Nam bị vỡ, làm ngập 12 làng.', rating: 'false', foreignItemId: itemId });
    expect(created.status).to.equal(201);
    expect(created.body.data).to.include({ status: 'new', rating: 'false', priority: false, deadlineAt: '2026-12-01T11:00:00.000Z' });
    expect(created.body.data.appearances).to.deep.equal([{
      id: created.body.data.appearances[0].id, url: 'https://harbour-times.example/asia/ht-1', outlet: 'Harbour Times', language: 'en',
      firstSeenAt: '2026-12-01T08:00:00.000Z', foreignItemId: itemId, network: null, postRef: null, addedBy: 'token:lan',
    }]);
    const priority = await editor('POST', '/api/v1/false-claims', { text: 'Ảnh giả về lũ lụt.', rating: 'misleading', priority: true });
    expect(priority.body.data.deadlineAt, 'a priority one, seen now, is due in 45 minutes').to.equal('2026-12-01T09:45:00.000Z');

    const unknown = await editor('POST', '/api/v1/false-claims', { text: 'x', rating: 'pants-on-fire' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.message).to.contain('not a rating of the configured scale (false, misleading, lacks_context)');
  });

  it('moves only along the status machine and keeps every change in its history', async () => {
    const [claim] = (await editor('GET', '/api/v1/false-claims?status=new')).body.data.filter((c: { rating: string }) => c.rating === 'false');
    const skip = await editor('POST', `/api/v1/false-claims/${claim.id}/status`, { to: 'answered' });
    expect(skip.status).to.equal(409);
    expect(skip.body.error.message).to.contain('from new it can go to answering, closed');
    now = new Date('2026-12-01T09:10:00Z');
    expect((await editor('POST', `/api/v1/false-claims/${claim.id}/status`, { to: 'answering', note: 'Bộ Công Thương đã xác nhận' })).body.data.status).to.equal('answering');
    const thu = await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow();
    expect((await editor('PATCH', `/api/v1/false-claims/${claim.id}`, { ownerId: thu.id })).status, 'a translator is not responsible for a false claim').to.equal(400);
    expect((await editor('PATCH', `/api/v1/false-claims/${claim.id}`, { ownerId: lanId, rating: 'lacks_context' })).body.data).to.include({ ownerId: lanId, rating: 'lacks_context' });
    const again = await editor('POST', `/api/v1/false-claims/${claim.id}/appearances`, { url: 'https://harbour-times.example/asia/ht-1', outlet: 'Harbour Times', language: 'en' });
    expect(again.body.data.added, 'an address is listed once').to.equal(false);
    expect((await editor('POST', `/api/v1/false-claims/${claim.id}/appearances`, { url: 'https://mastodon.example/@rumours/1', outlet: 'rumours@mastodon.example', language: 'fr', network: 'mastodon', postRef: 'https://mastodon.example/@rumours/1' })).status).to.equal(201);

    const full = (await editor('GET', `/api/v1/false-claims/${claim.id}`)).body.data;
    expect(full.appearances.map((a: { language: string }) => a.language)).to.deep.equal(['en', 'fr']);
    expect(full.history.map((e: { kind: string; from: string | null; to: string | null }) => `${e.kind}:${e.from ?? ''}>${e.to ?? ''}`)).to.deep.equal([
      'created:>new', 'appearance:>https://harbour-times.example/asia/ht-1', 'status:new>answering', 'rating:false>lacks_context', `owner:>${lanId}`, 'appearance:>https://mastodon.example/@rumours/1',
    ]);
    expect(full.history[2]).to.include({ note: 'Bộ Công Thương đã xác nhận', at: '2026-12-01T09:10:00.000Z' });
  });

  it('is kept in the desk in Vietnamese: registered from the monitoring page, moved, listed by deadline with the late ones marked', async () => {
    const desk = new WebSession(service.url, { 'accept-language': 'vi' });
    await desk.login('lan', 'lan password long');
    const form = await desk.get(`/ui/false-claims/new?item=${itemId}`);
    expect(form.text).to.contain('Tin đồn vỡ đập lan truyền trên mạng');
    const posted = await desk.post('/ui/false-claims', { foreignItemId: String(itemId), text: 'Đập thủy điện bị vỡ.', rating: 'false', ownerId: String(lanId), deadlineHours: '2' });
    expect(posted.status).to.equal(303);
    const page = await desk.get(posted.location!);
    expect(page.text).to.contain('Đã ghi nhận thông tin sai sự thật.');
    expect(page.text).to.contain('Harbour Times');
    const closed = await desk.post(`${posted.location}/status`, { to: 'closed', note: 'Trùng với số 1' });
    expect(closed.status).to.equal(303);
    const id = Number(posted.location!.split('/').pop());
    expect((await database.db.selectFrom('false_claims').select(['status', 'deadline_at']).where('id', '=', id).executeTakeFirstOrThrow()).deadline_at.toISOString()).to.equal('2026-12-01T11:10:00.000Z');

    now = new Date('2026-12-01T10:00:00Z'); // the priority one (due 09:45) is late
    const list = await desk.get('/ui/false-claims');
    const rows = [...list.text.matchAll(/<a href="\/ui\/false-claims\/(\d+)" lang="vi">([^<]+)<\/a>(.*?)<\/tr>/gs)].map((m) => `${m[2]}${m[3]!.includes('Quá hạn') ? ' [quá hạn]' : ''}`);
    expect(rows).to.deep.equal(['Ảnh giả về lũ lụt. [quá hạn]', 'Một con đập ở Quảng Nam bị vỡ, làm ngập 12 làng.', 'Đập thủy điện bị vỡ.']);
  });
});
