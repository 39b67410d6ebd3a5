import { expect } from 'chai';
import { sql } from 'kysely';
import { stageBucketBounds } from '../src/ops/figures.ts';
import { foldRollups } from '../src/ops/rollups.ts';
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
    expect(text).to.contain('# TYPE doingoai_time_to_stage_seconds histogram');
    expect(text).to.match(/doingoai_time_to_stage_seconds_bucket\{audience="en",stage="published",le="\+Inf"\} 1\n/);
    // every bucket, sum and count as the raw stage_reached rows give them, folded or not
    const reached = (await sql<{ audience_id: string; stage: string; seconds: number }>`SELECT audience_id, stage, seconds FROM stage_reached`.execute(database.db)).rows;
    expect(reached.length).to.be.greaterThan(5);
    const expected = (rows: typeof reached) => {
      const lines: string[] = [];
      for (const key of [...new Set(rows.map((r) => `${r.audience_id} ${r.stage}`))].sort()) {
        const [audience, stage] = key.split(' ');
        const mine = rows.filter((r) => r.audience_id === audience && r.stage === stage).map((r) => r.seconds);
        const labels = `audience="${audience}",stage="${stage}"`;
        for (const le of [...stageBucketBounds, Infinity]) lines.push(`doingoai_time_to_stage_seconds_bucket{${labels},le="${le === Infinity ? '+Inf' : le}"} ${mine.filter((x) => x <= le).length}`);
        lines.push(`doingoai_time_to_stage_seconds_count{${labels}} ${mine.length}`);
      }
      return lines;
    };
    const histogram = (body: string) => body.split('\n').filter((l) => /^doingoai_time_to_stage_seconds_(bucket|count)/.test(l)).sort();
    expect(histogram(text)).to.deep.equal(expected(reached).sort());
    const sums = text.split('\n').filter((l) => l.startsWith('doingoai_time_to_stage_seconds_sum{audience="en",stage="approved"}'));
    expect(sums.map((l) => Number(l.split(' ')[1]))).to.deep.equal([reached.filter((r) => r.audience_id === 'en' && r.stage === 'approved').reduce((a, r) => a + r.seconds, 0)]);
    expect(await foldRollups(database.db)).to.be.greaterThan(0);
    const folded = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await createToken(database.db, 'prometheus2', 'editor')}` } })).text();
    expect(histogram(folded), 'the same once folded').to.deep.equal(expected(reached).sort());
    expect(text).to.contain('doingoai_source_consecutive_failures{source="sample"} 0');
    expect(text).to.contain('doingoai_person_actions{person="token:thu",window="day",action="edit"} 1');
    expect(text).to.contain('doingoai_person_actions{person="token:lan",window="week",action="approve"} 1');
    expect(text).to.contain('doingoai_process_resident_memory_bytes');
  });
});
