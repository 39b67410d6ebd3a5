import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { fakeTranslate, startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, sampleFeed, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';

describe('metrics', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let deepl: DeepLTestServer;
  let origin: Loopback;
  before(async () => {
    deepl = await startDeepLTestServer();
    origin = await serveOnLoopback({ '/feed.xml': { body: sampleFeed() } });
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'lo', language: 'lo', provider: 'manual' }],
      sources: [{ id: 'sample', name: 'Sample', url: `${origin.url}/feed.xml` }],
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }), database);
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
    await origin?.close();
  });

  it('reports the backlog, time to each stage, source health and people, in Prometheus format', async () => {
    // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
    const editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    await editor('POST', '/api/v1/sources/sample/poll');
    await service.settled();
    const [draft] = (await editor('GET', '/api/v1/translations?audience=en&state=machine_translated&limit=1')).body.data;
    expect(draft.title).to.equal(fakeTranslate((await editor('GET', `/api/v1/stories/${draft.storyId}`)).body.data.title, { targetLang: 'EN-GB' }));
    const translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    await translator('PATCH', `/api/v1/translations/${draft.id}`, { title: 'Edited', version: draft.version });
    const submitted = await translator('POST', `/api/v1/translations/${draft.id}/submit`);
    await editor('POST', `/api/v1/translations/${draft.id}/approve`, { version: submitted.body.data.version });

    expect((await fetch(`${service.url}/metrics`)).status, 'metrics need a token').to.equal(401);
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await createToken(database.db, 'prometheus', 'editor')}` } });
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await res.text();
    expect(text).to.contain('doingoai_translations{audience="en",state="machine_translated"} 4');
    expect(text).to.contain('doingoai_translations{audience="en",state="published"} 1');
    expect(text).to.contain('doingoai_translations{audience="lo",state="queued"} 5');
    expect(text).to.match(/doingoai_time_to_stage_seconds\{audience="en",stage="published",window="day",quantile="0.95"\} \d/);
    expect(text).to.contain('doingoai_source_consecutive_failures{source="sample"} 0');
    expect(text).to.contain('doingoai_person_actions{person="token:thu",window="day",action="edit"} 1');
    expect(text).to.contain('doingoai_person_actions{person="token:lan",window="week",action="approve"} 1');
    expect(text).to.contain('doingoai_process_resident_memory_bytes');
  });
});
