/**
 * Routing as the running service does it: a new story is taken, planned or skipped per audience by
 * the audiences' rules; only the audiences that take it get a translation and a provider call, and
 * a planning audience spends nothing until an editor chooses. Through deepl-node against the DeepL
 * test server.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { translateRequests } from './support/translate.ts';

function routingConfig(deepl: DeepLTestServer): Config {
  return writeTestConfig({
    audiences: [
      { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB', routing: { take: [{ name: 'Laos', regions: ['Lào', 'Viêng Chăn'] }] } },
      { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', routing: { never: [{ name: 'farming', keywords: ['lúa', 'nông nghiệp'] }] } },
      { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS' },
      { id: 'lo', language: 'lo', provider: 'deepl', targetCode: 'EN-US', routing: { mode: 'planning' } },
    ],
    translation: { retry: { baseDelayMs: 5, maxAttempts: 3 } },
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
}

describe('routing stories to audiences', function () {
  this.timeout(30_000);
  let deepl: DeepLTestServer;
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
    service = await startTestService(routingConfig(deepl), database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
  });
  beforeEach(() => deepl.reset());

  const push = async (id: string, title: string, extra: Record<string, unknown> = {}) => {
    const res = await editor('POST', '/api/v1/stories', { id, title, bodyHtml: `<p>${title}.</p>`, ...extra });
    expect(res.status).to.equal(201);
    await service.settled();
    return res.body.data.id as number;
  };
  const routes = async (storyId: number) => Object.fromEntries((await editor('GET', `/api/v1/stories/${storyId}/routes`)).body.data
    .map((r: { audience: string; choice: string; rule: string }) => [r.audience, `${r.choice} ${r.rule}`]));
  const translated = async (storyId: number) => (await editor('GET', `/api/v1/stories/${storyId}/translations`)).body.data
    .map((t: { audience: string; state: string }) => `${t.audience}:${t.state}`);
  const targets = () => translateRequests(deepl).map((r) => r.params.target_lang!.toUpperCase()).sort();

  it('gives a story only to the audiences whose rules take it: the others get no translation and no provider call', async () => {
    const rice = await push('rice-1', 'Thu hoạch lúa ở Đồng Tháp');
    expect(await routes(rice)).to.deep.equal({ en: 'skip no-rule', fr: 'skip never:farming', zh: 'take everything', lo: 'plan everything' });
    expect(await translated(rice)).to.deep.equal(['zh:machine_translated']);
    expect(targets()).to.deep.equal(['ZH-HANS']);

    deepl.reset();
    const laos = await push('laos-1', 'Đoàn đại biểu thăm Viêng Chăn');
    expect(await routes(laos)).to.deep.equal({ en: 'take take:Laos', fr: 'take everything', zh: 'take everything', lo: 'plan everything' });
    expect(await translated(laos)).to.deep.equal(['en:machine_translated', 'fr:machine_translated', 'zh:machine_translated']);
    expect(targets()).to.deep.equal(['EN-GB', 'FR', 'ZH-HANS']);
  });

  it('spends nothing for a planning audience while no editor has chosen', async () => {
    const storyId = await push('plan-1', 'Hội nghị hợp tác nông nghiệp Việt – Lào');
    expect((await routes(storyId)).lo).to.equal('plan everything');
    expect(await translated(storyId)).to.not.include.members(['lo:queued', 'lo:machine_translated']);
    expect(targets()).to.not.include('EN-US');
    const usage = await database.db.selectFrom('translation_usage').select(['audience_id']).where('audience_id', '=', 'lo').execute();
    expect(usage, 'nothing billed to the planning audience').to.have.length(0);
  });

  it('sends a priority story to every audience at once, planning ones included', async () => {
    const storyId = await push('storm-1', 'Bão lớn làm mất mùa lúa', { priority: true });
    expect(await routes(storyId)).to.deep.equal({ en: 'take priority', fr: 'take priority', zh: 'take priority', lo: 'take priority' });
    expect(targets()).to.deep.equal(['EN-GB', 'EN-US', 'FR', 'ZH-HANS']);
  });

  it('does not route a re-run of an earlier story', async () => {
    const body = '<p>Nông dân tỉnh Đồng Tháp bắt đầu thu hoạch vụ lúa đông xuân trên diện tích hơn hai trăm nghìn héc ta, năng suất bình quân đạt bảy tấn một héc ta, cao hơn vụ trước; giá lúa tươi tại ruộng ổn định và thương lái thu mua ngay tại đồng.</p>';
    await push('rice-3', 'Đồng Tháp vào vụ gặt', { bodyHtml: body });
    deepl.reset();
    const again = await editor('POST', '/api/v1/stories', { id: 'rice-4', title: 'Đồng Tháp vào vụ gặt lúa', bodyHtml: body });
    await service.settled();
    expect(again.body.data.duplicateOf).to.be.a('number');
    expect(await routes(again.body.data.id)).to.deep.equal({});
    expect(targets()).to.deep.equal([]);
  });
});
