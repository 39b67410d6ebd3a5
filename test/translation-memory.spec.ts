/**
 * Translation memory hygiene through the whole service: pairs harvested from a published
 * translation name it; withdrawing it retires them at once (never served again, kept for the
 * record); editors find a pair, correct it or take it out of use through /api/v1/memory.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { lookupMemory } from '../src/store/translation-memory.ts';
import { harvestApproved } from '../src/translate/memory.ts';
import { segmentKey } from '../src/translate/segments.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

describe('translation memory: withdrawn pairs and editors\' corrections', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  const audiences = [{ id: 'en', language: 'en', provider: 'manual' }] as const;
  const lead = 'Trong 10 tháng, các cơ quan đại diện đã xử lý 1.245 vụ việc.';
  const served = (key: string) => lookupMemory(database.db, 'vi', ['lang:en'], [segmentKey(key)]).then((rows) => rows.map((r) => r.target_text));

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences }), database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  async function published(title: string, summary: string, englishTitle: string, englishLead: string): Promise<number> {
    const story = await database.db.insertInto('stories').values({ guid: `tm-${title}`, title, summary, body_html: '<p>Nội dung.</p>', content_hash: title }).returning('id').executeTakeFirstOrThrow();
    const t = await database.db.insertInto('translations').values({
      story_id: story.id, audience_id: 'en', language: 'en', state: 'in_review', provider: 'manual', title: englishTitle, summary: englishLead, body_html: '<p>Content.</p>',
    }).returning('id').executeTakeFirstOrThrow();
    expect((await editor('POST', `/api/v1/translations/${t.id}/approve`, { version: 1 })).body.data.state).to.equal('published');
    await harvestApproved(database.db, 'vi', [...audiences] as never);
    return t.id;
  }

  it('retires the pairs of a withdrawn translation in the withdrawal itself', async () => {
    const id = await published('Bảo hộ công dân', lead, 'Citizen protection', 'In ten months, the missions handled 1,245 cases.');
    expect(await served(lead)).to.deep.equal(['In ten months, the missions handled 1,245 cases.']);
    const listed = await editor('GET', `/api/v1/memory?translation=${id}`);
    expect(listed.body.data.map((p: { sourceText: string }) => p.sourceText).sort()).to.deep.equal(['Bảo hộ công dân', lead, 'Nội dung.'].sort());

    expect((await editor('POST', `/api/v1/translations/${id}/withdraw`, { reason: 'the figures were wrong' })).status).to.equal(200);
    expect(await served(lead), 'never served again').to.deep.equal([]);
    expect((await editor('GET', `/api/v1/memory?translation=${id}`)).body.data, 'usable pairs only by default').to.deep.equal([]);
    const kept = (await editor('GET', `/api/v1/memory?translation=${id}&unusable=true`)).body.data as { unusableAt: string; unusableReason: string }[];
    expect(kept).to.have.length(3);
    for (const p of kept) expect(p.unusableReason).to.equal('withdrawn: the figures were wrong');
  });

  it('a withdrawn translation harvested late gives no pairs', async () => {
    const story = await database.db.insertInto('stories').values({ guid: 'tm-late', title: 'Tin muộn', summary: '', body_html: '<p>Muộn.</p>', content_hash: 'late' }).returning('id').executeTakeFirstOrThrow();
    const t = await database.db.insertInto('translations').values({ story_id: story.id, audience_id: 'en', language: 'en', state: 'in_review', provider: 'manual', title: 'Late news', summary: '', body_html: '<p>Late.</p>' }).returning('id').executeTakeFirstOrThrow();
    await editor('POST', `/api/v1/translations/${t.id}/approve`, { version: 1 });
    await editor('POST', `/api/v1/translations/${t.id}/withdraw`, { reason: 'retracted' });
    await harvestApproved(database.db, 'vi', [...audiences] as never);
    expect(await served('Tin muộn')).to.deep.equal([]);
  });

  it('lets an editor find a pair, correct it, and take it out of use', async () => {
    await published('Họp báo thường kỳ', 'Người phát ngôn trả lời báo chí.', 'Regular press briefing', 'The spokesman answered the press.');
    const found = await editor('GET', `/api/v1/memory?q=${encodeURIComponent('phát ngôn')}&language=en`);
    expect(found.status).to.equal(200);
    const pair = found.body.data.find((p: { sourceText: string }) => p.sourceText === 'Người phát ngôn trả lời báo chí.');
    expect(pair).to.include({ targetText: 'The spokesman answered the press.', origin: 'approved', targetKey: 'lang:en' });

    const corrected = await editor('PATCH', `/api/v1/memory/${pair.id}`, { targetText: 'The spokesperson answered questions from the press.' });
    expect(corrected.body.data).to.include({ targetText: 'The spokesperson answered questions from the press.', updatedBy: 'token:lan' });
    expect(await served('Người phát ngôn trả lời báo chí.')).to.deep.equal(['The spokesperson answered questions from the press.']);

    const out = await editor('POST', `/api/v1/memory/${pair.id}/unusable`, { reason: 'wording changed by style guide' });
    expect(out.body.data.unusableReason).to.equal('wording changed by style guide');
    expect(await served('Người phát ngôn trả lời báo chí.')).to.deep.equal([]);
  });

  it('refuses translators, bad bodies and unknown pairs', async () => {
    expect((await translator('GET', '/api/v1/memory')).status).to.equal(403);
    expect((await editor('PATCH', '/api/v1/memory/1', { targetText: '' })).status).to.equal(400);
    expect((await editor('POST', '/api/v1/memory/1/unusable', {})).status).to.equal(400);
    expect((await editor('PATCH', '/api/v1/memory/999999', { targetText: 'x' })).status).to.equal(404);
    expect((await editor('GET', '/api/v1/memory/abc')).status).to.equal(404);
  });
});
