/**
 * The official answer to a false claim, end to end on a fixed clock: written in Vietnamese on the
 * false claim's page in the desk with the sources it cites, stored as a priority story in the
 * clarifications topic, routed to the audiences whose languages the claim was said in (even where
 * their rules would not take it), translated through deepl-node against the DeepL test server,
 * reviewed and published; the false claim moves to answering, then answered with the first
 * publication; the article page carries ClaimReview JSON-LD (checked against Google's fact-check
 * markup requirements) and the answer is in each routed audience's clarifications feed.
 */
import { expect } from 'chai';
import { parseHTML } from 'linkedom';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { translateRequests } from './support/translate.ts';
import { WebSession } from './support/web-session.ts';

const PUBLIC = 'https://news.example.org';
// rules no answer matches, and priority stories routed by the rules: only the claim's languages can take it
const strictRouting = { priority: 'rules', take: [{ name: 'sport', keywords: ['bóng đá'] }] };

/**
 * Google's ClaimReview markup, as its fact-check documentation states it: required claimReviewed,
 * reviewRating with alternateName, url; recommended author (name), datePublished, itemReviewed (a
 * Claim: appearance / firstAppearance as CreativeWork with url, author, datePublished), and the
 * rating's ratingValue within worstRating..bestRating. Returns what is wrong, one line each.
 */
function claimReviewProblems(ld: Record<string, any>): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => { if (!ok) problems.push(what); };
  need(ld['@context'] === 'https://schema.org' || ld['@context'] === 'http://schema.org', '@context is schema.org');
  need(ld['@type'] === 'ClaimReview', '@type is ClaimReview');
  need(typeof ld.claimReviewed === 'string' && ld.claimReviewed.length > 0, 'claimReviewed is text');
  need(typeof ld.url === 'string' && URL.canParse(ld.url), 'url is a URL');
  const r = ld.reviewRating ?? {};
  need(r['@type'] === 'Rating', 'reviewRating is a Rating');
  need(typeof r.alternateName === 'string' && r.alternateName.length > 0, 'reviewRating.alternateName is text');
  need(Number.isInteger(r.ratingValue) && Number.isInteger(r.bestRating) && Number.isInteger(r.worstRating), 'ratingValue, bestRating, worstRating are numbers');
  need(r.worstRating <= r.ratingValue && r.ratingValue <= r.bestRating, 'ratingValue lies between worstRating and bestRating');
  need(['Organization', 'NewsMediaOrganization', 'Person'].includes(ld.author?.['@type']) && typeof ld.author?.name === 'string', 'author is an organisation or person with a name');
  need(!Number.isNaN(Date.parse(ld.datePublished)), 'datePublished is a date');
  const item = ld.itemReviewed ?? {};
  need(item['@type'] === 'Claim', 'itemReviewed is a Claim');
  const works = [item.firstAppearance, ...(Array.isArray(item.appearance) ? item.appearance : [item.appearance])];
  for (const w of works) need(w?.['@type'] === 'CreativeWork' && URL.canParse(w.url ?? '') && !Number.isNaN(Date.parse(w.datePublished)), 'each appearance is a CreativeWork with a url and a date');
  return problems;
}

describe('official answer to a false claim', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let deepl: DeepLTestServer;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let claimId: number;
  let storyId: number;
  let now = new Date('2026-12-01T08:30:00Z');

  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', locale: 'en-GB', provider: 'deepl', targetCode: 'EN-GB', publicationName: 'Viet Nam News', routing: strictRouting },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', routing: strictRouting },
        { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS', routing: strictRouting },
      ],
      publishing: { publicUrl: PUBLIC, publicationName: 'doingoai' },
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }), database, () => now);
    // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'lan password long', locale: 'vi' });
    const created = await editor('POST', '/api/v1/false-claims', {
      text: 'Một con đập ở Quảng Nam bị vỡ, làm ngập mười hai làng.', rating: 'false',
      appearances: [
        { url: 'https://harbour-times.example/asia/dam', outlet: 'Harbour Times', language: 'en', firstSeenAt: '2026-12-01T07:00:00Z' },
        { url: 'https://lianhe.example/news/dam', outlet: 'Lianhe Daily', language: 'zh-Hans', firstSeenAt: '2026-12-01T07:40:00Z' },
      ],
    });
    expect(created.status).to.equal(201);
    claimId = created.body.data.id;
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
  });

  it('is written in Vietnamese on the false claim\'s page, with its sources, and goes in the fast lane to the claim\'s languages only', async () => {
    const desk = new WebSession(service.url, { 'accept-language': 'vi' });
    await desk.login('lan', 'lan password long');
    const page = await desk.get(`/ui/false-claims/${claimId}`);
    expect(page.text).to.contain('Được nói bằng: en, zh-hans.');
    const noSource = await desk.post(`/ui/false-claims/${claimId}/answer`, { title: 'Không có đập nào bị vỡ ở Quảng Nam', body: 'Đoạn một.', sources: '' });
    expect(noSource.status, 'an answer cites its sources').to.equal(400);
    expect(noSource.text).to.contain('Bài trả lời cần tiêu đề, nội dung và ít nhất một nguồn có địa chỉ http(s).');

    const posted = await desk.post(`/ui/false-claims/${claimId}/answer`, {
      title: 'Không có đập nào bị vỡ ở Quảng Nam',
      summary: 'Bộ Nông nghiệp và Môi trường khẳng định các hồ đập ở Quảng Nam vẫn an toàn.',
      body: 'Thông tin một con đập ở Quảng Nam bị vỡ là sai sự thật.\n\nCác hồ chứa đều vận hành bình thường.',
      sources: 'Bộ Nông nghiệp và Môi trường | https://mae.gov.vn/thong-cao/ho-dap-quang-nam\nhttps://quangnam.gov.vn/thong-bao',
    });
    expect(posted.status).to.equal(303);
    const after = await desk.get(posted.location!);
    expect(after.text).to.contain('Đã viết bài trả lời và gửi dịch, ít nhất cho en, zh.');
    await service.settled();

    const claim = (await editor('GET', `/api/v1/false-claims/${claimId}`)).body.data;
    expect(claim.status).to.equal('answering');
    expect(claim.answerSources).to.deep.equal([
      { title: 'Bộ Nông nghiệp và Môi trường', url: 'https://mae.gov.vn/thong-cao/ho-dap-quang-nam' },
      { title: 'https://quangnam.gov.vn/thong-bao', url: 'https://quangnam.gov.vn/thong-bao' },
    ]);
    expect(claim.history.map((e: { kind: string; to: string }) => `${e.kind}:${e.to}`).slice(-2)).to.deep.equal([`answer:${claim.answerStoryId}`, 'status:answering']);
    storyId = claim.answerStoryId;

    const story = await database.db.selectFrom('stories').select(['priority', 'category', 'body_html', 'pushed_by']).where('id', '=', storyId).executeTakeFirstOrThrow();
    expect(story).to.include({ priority: true, category: 'Làm rõ', pushed_by: 'lan' });
    expect(story.body_html).to.contain('<h2>Nguồn</h2>').and.contain('<a href="https://mae.gov.vn/thong-cao/ho-dap-quang-nam">Bộ Nông nghiệp và Môi trường</a>');
    const routes = Object.fromEntries((await editor('GET', `/api/v1/stories/${storyId}/routes`)).body.data.map((r: { audience: string; choice: string; rule: string }) => [r.audience, `${r.choice} ${r.rule}`]));
    expect(routes).to.deep.equal({ en: 'take false-claim', fr: 'skip no-rule', zh: 'take false-claim' });
    const targets = translateRequests(deepl).map((r) => r.params.target_lang!.toUpperCase()).sort();
    expect([...new Set(targets)]).to.deep.equal(['EN-GB', 'ZH-HANS']);
    const answer = (await editor('GET', `/api/v1/false-claims/${claimId}/answer`)).body.data;
    expect(answer.translations.map((t: { audienceId: string; state: string }) => `${t.audienceId}:${t.state}`)).to.deep.equal(['en:machine_translated', 'zh:machine_translated']);
  });

  it('written again, updates the same story instead of making a second one, and reaches a language the claim was said in since', async () => {
    await editor('POST', `/api/v1/false-claims/${claimId}/appearances`, { url: 'https://le-rivage.example/barrage', outlet: 'Le Rivage', language: 'fr', firstSeenAt: '2026-12-01T08:10:00Z' });
    deepl.reset();
    const again = await editor('POST', `/api/v1/false-claims/${claimId}/answer`, {
      title: 'Không có đập nào bị vỡ ở Quảng Nam', summary: 'Các hồ đập ở Quảng Nam vẫn an toàn.',
      bodyHtml: '<p>Thông tin một con đập ở Quảng Nam bị vỡ là sai sự thật.</p><p>Các hồ chứa đều vận hành bình thường.</p>',
      sources: [{ title: 'Bộ Nông nghiệp và Môi trường', url: 'https://mae.gov.vn/thong-cao/ho-dap-quang-nam' }],
    });
    expect(again.status).to.equal(200);
    expect(again.body.data.answerStoryId).to.equal(storyId);
    await service.settled();
    expect((await database.db.selectFrom('stories').select('id').where('category', '=', 'Làm rõ').execute()).map((s) => s.id)).to.deep.equal([storyId]);
    expect(again.body.data.audiences).to.deep.equal(['en', 'fr', 'zh']);
    const answer = (await editor('GET', `/api/v1/false-claims/${claimId}/answer`)).body.data;
    expect(answer.translations.map((t: { audienceId: string; state: string }) => `${t.audienceId}:${t.state}`)).to.deep.equal(['en:machine_translated', 'fr:machine_translated', 'zh:machine_translated']);
    expect([...new Set(translateRequests(deepl).map((r) => r.params.target_lang!.toUpperCase()))].sort()).to.deep.equal(['EN-GB', 'FR', 'ZH-HANS']);
  });

  async function publish(audience: string): Promise<number> {
    const answer = (await editor('GET', `/api/v1/false-claims/${claimId}/answer`)).body.data;
    const t = answer.translations.find((x: { audienceId: string }) => x.audienceId === audience);
    const submitted = await translator('POST', `/api/v1/translations/${t.id}/submit`);
    expect(submitted.status).to.equal(200);
    const approved = await editor('POST', `/api/v1/translations/${t.id}/approve`, { version: submitted.body.data.version });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    await service.settled();
    return t.id;
  }

  it('is answered with its first publication, and the article page reviews the claim in ClaimReview JSON-LD', async () => {
    now = new Date('2026-12-01T09:15:00Z');
    const enId = await publish('en');
    const claim = (await editor('GET', `/api/v1/false-claims/${claimId}`)).body.data;
    expect(claim.status).to.equal('answered');
    expect(claim.history.at(-1)).to.include({ kind: 'status', from: 'answering', to: 'answered', note: 'en', at: '2026-12-01T09:15:00.000Z' });

    const res = await fetch(`${service.url}/read/en/${enId}`);
    expect(res.status).to.equal(200);
    const { document } = parseHTML(await res.text());
    const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent!));
    const review = blocks.find((b) => b['@type'] === 'ClaimReview');
    expect(review, 'a ClaimReview block beside the NewsArticle').to.not.equal(undefined);
    expect(claimReviewProblems(review)).to.deep.equal([]);
    expect(review).to.deep.include({
      url: `${PUBLIC}/read/en/${enId}`, claimReviewed: 'Một con đập ở Quảng Nam bị vỡ, làm ngập mười hai làng.', inLanguage: 'en',
      datePublished: '2026-12-01T09:15:00.000Z',
      reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'False' },
    });
    expect(review.author).to.include({ '@type': 'NewsMediaOrganization', name: 'Viet Nam News' });
    expect(review.itemReviewed.firstAppearance).to.deep.include({ url: 'https://harbour-times.example/asia/dam', datePublished: '2026-12-01T07:00:00.000Z' });
    expect(review.itemReviewed.appearance.map((a: { url: string }) => a.url)).to.deep.equal(['https://harbour-times.example/asia/dam', 'https://lianhe.example/news/dam', 'https://le-rivage.example/barrage']);
    // the markup's content is on the page as well
    expect(document.querySelector('.fact-check .rating')!.textContent).to.equal('Our rating: False');
    expect(document.querySelector('.fact-check blockquote')!.textContent).to.equal('Một con đập ở Quảng Nam bị vỡ, làm ngập mười hai làng.');
  });

  it('is in the clarifications feed of each routed audience, named in its language, and nowhere else', async () => {
    const zhId = await publish('zh');
    const zhPage = parseHTML(await (await fetch(`${service.url}/read/zh/${zhId}`)).text()).document;
    const zhReview = [...zhPage.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent!)).find((b) => b['@type'] === 'ClaimReview');
    expect(zhReview.reviewRating.alternateName, 'the rating named in the page\'s language').to.equal('不实');

    const en = await (await fetch(`${service.url}/feeds/en/lam-ro/feed.json`)).json() as { title: string; items: { url: string }[] };
    expect(en.title).to.contain('Clarifications');
    expect(en.items.map((i) => i.url)).to.deep.equal([`${PUBLIC}/read/en/${(await publishedId('en'))}`]);
    const zhRss = await (await fetch(`${service.url}/feeds/zh/lam-ro/rss.xml`)).text();
    expect(zhRss).to.contain(`${PUBLIC}/read/zh/${zhId}`).and.contain('澄清');
    const atom = await fetch(`${service.url}/feeds/en/lam-ro/atom.xml`);
    expect(atom.status).to.equal(200);
    expect((await fetch(`${service.url}/feeds/fr/lam-ro/feed.json`)).status, 'fr has not published the answer yet').to.equal(404);
  });

  async function publishedId(audience: string): Promise<number> {
    const answer = (await editor('GET', `/api/v1/false-claims/${claimId}/answer`)).body.data;
    return answer.translations.find((x: { audienceId: string }) => x.audienceId === audience).id;
  }
});
