/** WebSub publish pings against a hub on loopback: the form sent, and a refusal that the job retries. */
import { expect } from 'chai';
import { HubRefusedError, pingHub, websubPingJob } from '../src/publish/websub.ts';
import { serveRecorder, type Recorder } from './support/service.ts';

describe('WebSub publish pings', () => {
  let hub: Recorder;
  before(async () => {
    hub = await serveRecorder();
  });
  beforeEach(() => {
    hub.requests.length = 0;
    hub.status = 204;
  });
  after(() => hub.close());

  it('posts hub.mode=publish and hub.url once per changed feed', async () => {
    await pingHub({ timeoutMs: 2000 }, `${hub.url}/`, ['https://news.example.org/feeds/en/rss.xml', 'https://news.example.org/feeds/en/atom.xml']);
    expect(hub.requests).to.deep.equal([
      { type: 'application/x-www-form-urlencoded', body: 'hub.mode=publish&hub.url=https%3A%2F%2Fnews.example.org%2Ffeeds%2Fen%2Frss.xml' },
      { type: 'application/x-www-form-urlencoded', body: 'hub.mode=publish&hub.url=https%3A%2F%2Fnews.example.org%2Ffeeds%2Fen%2Fatom.xml' },
    ]);
  });

  it('fails the job on a refusal so that pg-boss retries it with backoff', async () => {
    hub.status = 503;
    const job = websubPingJob({ timeoutMs: 2000 });
    expect(job.queue).to.include({ retryBackoff: true });
    expect(job.queue!.retryLimit).to.be.greaterThan(3);
    const err = await job.handle({ hub: `${hub.url}/`, topics: ['https://news.example.org/feeds/en/rss.xml'] }, { id: 'j1', retryCount: 0 }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(HubRefusedError);
    expect((err as HubRefusedError).status).to.equal(503);
  });

  it('refuses a payload that is not a URL', () => {
    expect(() => websubPingJob({ timeoutMs: 1 }).payload.parse({ hub: 'not a url', topics: [] })).to.throw();
  });
});
