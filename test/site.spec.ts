/**
 * The public site through the service: article pages (text, lead figure with translated caption and
 * credit, byline, the three dates in the audience's locale, correction note, hreflang, language
 * switcher) and their metadata (Open Graph, X card, NewsArticle JSON-LD), home, topic and archive
 * pages with topics in the audience's language, localized 404 and 410 pages, `/` by the reader's
 * languages, the pages' cache and CSP, and /media for other origins.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { parseHTML } from 'linkedom';
import pg from 'pg';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';
import type { Service } from '../src/service.ts';
import { renderVariants } from '../src/ingest/images.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const PUBLIC = 'https://news.example.org';
const logo = fileURLToPath(new URL('../config/logos/doingoai.svg', import.meta.url));

describe('public site through the service', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let now: Date;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let hash: string;
  let storyId: number;
  const ids: Record<string, number> = {};
  const clock = () => now;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers, redirect: 'manual' });
  const page = async (path: string) => {
    const res = await get(path);
    const html = await res.text();
    return { res, html, document: parseHTML(html).document };
  };

  async function publish(audience: string, language: string, text: { title: string; summary: string; body: string }) {
    const row = await database.db.insertInto('translations').values({
      story_id: storyId, audience_id: audience, language, state: 'in_review', provider: 'manual',
      title: text.title, summary: text.summary, body_html: text.body,
    }).returning('id').executeTakeFirstOrThrow();
    expect((await editor('POST', `/api/v1/translations/${row.id}/approve`, { version: 1 })).status).to.equal(200);
    ids[audience] = row.id;
  }

  before(async () => {
    now = new Date('2026-11-20T08:00:00Z');
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', locale: 'en-GB', provider: 'manual', timeZone: 'Europe/London', publicationName: 'Viet Nam News', logo },
        { id: 'fr', language: 'fr', provider: 'manual', timeZone: 'Europe/Paris', publicationName: 'Actualités du Viet Nam', logo },
        { id: 'ru', language: 'ru', provider: 'manual', timeZone: 'Europe/Moscow', publicationName: 'Новости Вьетнама' },
        // nothing published: not offered in the language switcher
        { id: 'ko', language: 'ko', provider: 'manual', timeZone: 'Asia/Seoul' },
      ],
      publishing: { publicUrl: PUBLIC, publicationName: 'doingoai' },
    }), database, clock);
    await service.settled();
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));

    // a real image, stored the way ingestion stores it
    const bytes = await sharp({ create: { width: 2000, height: 1250, channels: 3, background: '#3a6ea5' } }).png().toBuffer();
    hash = createHash('sha256').update(bytes).digest('hex');
    const variants = await renderVariants(bytes, 40_000_000);
    await database.db.insertInto('images').values({ hash, source_url: 'https://baoquocte.vn/anh/thu-tuong.png', mime: variants.mime, width: 2000, height: 1250, bytes: bytes.length }).execute();
    await database.db.insertInto('image_variants').values(variants.outputs.map((v) => ({ hash, ...v }))).execute();
    const story = await database.db.insertInto('stories').values({
      guid: 'site-1', title: 'Thủ tướng tiếp Đại sứ', summary: 'Tóm tắt', body_html: '<p>Nội dung</p>', content_hash: 'site-1',
      url: 'https://baoquocte.vn/thu-tuong-tiep-dai-su.html', attribution: 'Báo Thế giới & Việt Nam', category: 'Đối ngoại',
      author: 'Thu Hằng', published_at: new Date('2026-11-20T01:15:00Z'), priority: true,
    }).returning('id').executeTakeFirstOrThrow();
    storyId = story.id;
    await database.db.insertInto('story_images').values({ story_id: storyId, position: 0, hash, source_url: 'https://baoquocte.vn/anh/thu-tuong.png' }).execute();

    await publish('en', 'en', {
      title: 'Prime Minister receives the Ambassador',
      summary: 'The two sides discussed trade and education.',
      body: '<figure><img src="https://baoquocte.vn/anh/thu-tuong.png" alt="" /><figcaption>The Prime Minister speaks at the meeting. (Photo: VNA)</figcaption></figure>'
        + '<p>The Prime Minister welcomed the Ambassador.</p><ul><li>Trade</li><li>Education</li></ul>'
        + '<table><thead><tr><th>Year</th><th>Trade (USD bn)</th></tr></thead><tbody><tr><td>2025</td><td>12.5</td></tr></tbody></table>'
        + '<p><img src="https://elsewhere.example/tracker.gif" alt="not ours" /></p>',
    });
    now = new Date('2026-11-20T09:30:00Z');
    await publish('fr', 'fr', { title: 'Le Premier ministre reçoit l’ambassadeur', summary: 'Commerce et éducation.', body: '<p>Le Premier ministre a accueilli l’ambassadeur.</p>' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('renders an article in the audience\'s language, with its lead figure, byline, dates and body', async () => {
    const { res, html, document } = await page(`/read/en/${ids.en}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(document.documentElement.getAttribute('lang')).to.equal('en');
    expect(document.documentElement.getAttribute('dir')).to.equal('ltr');
    expect(document.querySelector('h1')!.textContent).to.equal('Prime Minister receives the Ambassador');
    expect(document.querySelector('.lead')!.textContent).to.equal('The two sides discussed trade and education.');
    expect(document.querySelector('.brand span')!.textContent).to.equal('Viet Nam News');
    expect(document.querySelector('.brand img')!.getAttribute('src')).to.match(/^\/site\/logo-[0-9a-f]{12}\.svg$/);
    expect(document.querySelector('.kicker a')!.textContent, 'the topic in English').to.equal('Foreign affairs');
    expect(document.querySelector('.byline')!.textContent).to.equal('By Thu Hằng');
    const dates = [...document.querySelectorAll('.dates div')].map((d) => d.textContent);
    expect(dates).to.deep.equal(['Published 20 November 2026 at 08:00 GMT', 'Original in Vietnamese 20 November 2026 at 01:15 GMT']);
    const figure = document.querySelector('.lead-figure')!;
    expect(figure.querySelector('figcaption')!.textContent).to.equal('The Prime Minister speaks at the meeting. Photo: VNA');
    expect(figure.querySelector('.credit')!.textContent).to.equal('Photo: VNA');
    const img = figure.querySelector('img')!;
    expect(img.getAttribute('width')).to.equal('1600');
    expect(img.getAttribute('height')).to.equal('1000');
    expect(img.getAttribute('srcset')).to.equal(`/media/${hash}-w480.jpg 480w, /media/${hash}-w960.jpg 960w, /media/${hash}-large.jpg 1600w`);
    expect(figure.querySelector('source')!.getAttribute('srcset')).to.contain(`/media/${hash}-w480-webp.webp 480w`);
    expect(document.querySelectorAll('.body figure'), 'the lead figure is not repeated in the body').to.have.length(0);
    expect(document.querySelector('.body ul')!.textContent).to.equal('TradeEducation');
    const table = document.querySelector('.body .table-scroll')!;
    expect(table.getAttribute('role')).to.equal('region');
    expect(table.getAttribute('tabindex')).to.equal('0');
    expect(table.querySelector('td')!.textContent).to.equal('2025');
    expect(html, 'an image we did not store is left out').not.to.contain('elsewhere.example');
    expect(document.querySelector('.source')!.textContent).to.contain('Báo Thế giới & Việt Nam');
    // the language switcher: this story in French, the Vietnamese original; Russian's home (no translation); no Korean (nothing published)
    const switcher = [...document.querySelectorAll('.languages a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(switcher).to.deep.equal([['Français', `/read/fr/${ids.fr}`], ['Tiếng Việt', 'https://baoquocte.vn/thu-tuong-tiep-dai-su.html']]);
    const home = await page('/en/');
    expect(home.document.querySelector('.top h3 a')!.textContent, 'the priority story on top').to.equal('Prime Minister receives the Ambassador');
  });

  it('names the card image, dates, author and original in Open Graph, X card and NewsArticle JSON-LD', async () => {
    const { document } = await page(`/read/en/${ids.en}`);
    const meta = (key: string) => [...document.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)].map((m) => m.getAttribute('content'));
    const canonical = `${PUBLIC}/read/en/${ids.en}`;
    expect(document.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(canonical);
    expect([...document.querySelectorAll('link[rel="alternate"][hreflang]')].map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')])).to.deep.equal([
      ['en', canonical], ['fr', `${PUBLIC}/read/fr/${ids.fr}`], ['vi', 'https://baoquocte.vn/thu-tuong-tiep-dai-su.html']]);
    expect(meta('og:type')).to.deep.equal(['article']);
    expect(meta('og:url')).to.deep.equal([canonical]);
    expect(meta('og:title')).to.deep.equal(['Prime Minister receives the Ambassador']);
    expect(meta('og:site_name')).to.deep.equal(['Viet Nam News']);
    expect(meta('og:locale')).to.deep.equal(['en_GB']);
    expect(meta('og:locale:alternate')).to.deep.equal(['fr_FR']);
    expect(meta('og:image')).to.deep.equal([`${PUBLIC}/media/${hash}-card.jpg`]);
    expect([meta('og:image:width'), meta('og:image:height'), meta('og:image:type')]).to.deep.equal([['1200'], ['630'], ['image/jpeg']]);
    expect(meta('og:image:alt')).to.deep.equal(['The Prime Minister speaks at the meeting.']);
    expect(meta('article:published_time')).to.deep.equal(['2026-11-20T08:00:00.000Z']);
    expect(meta('article:author')).to.deep.equal(['Thu Hằng']);
    expect(meta('twitter:card')).to.deep.equal(['summary_large_image']);
    expect(meta('twitter:image'), 'X draws 2:1 cards').to.deep.equal([`${PUBLIC}/media/${hash}-card-x.jpg`]);

    const scripts = [...document.querySelectorAll('script')];
    expect(scripts.map((s) => s.getAttribute('type')), 'no script runs: JSON-LD is data').to.deep.equal(['application/ld+json']);
    const ld = JSON.parse(scripts[0]!.textContent!);
    expect(ld).to.deep.include({
      '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Prime Minister receives the Ambassador', inLanguage: 'en',
      url: canonical, datePublished: '2026-11-20T08:00:00.000Z', dateModified: '2026-11-20T08:00:00.000Z',
      articleSection: 'Foreign affairs', isBasedOn: 'https://baoquocte.vn/thu-tuong-tiep-dai-su.html',
    });
    expect(ld.author).to.deep.equal([{ '@type': 'Person', name: 'Thu Hằng' }]);
    expect(ld.publisher).to.deep.include({ '@type': 'NewsMediaOrganization', name: 'Viet Nam News' });
    expect(ld.publisher.logo.url).to.match(new RegExp(`^${PUBLIC}/site/logo-[0-9a-f]{12}\\.svg$`));
    expect(ld.image[0]).to.equal(`${PUBLIC}/media/${hash}-card.jpg`);
    expect(ld.translationOfWork).to.deep.equal({
      '@type': 'NewsArticle', inLanguage: 'vi', url: 'https://baoquocte.vn/thu-tuong-tiep-dai-su.html', datePublished: '2026-11-20T01:15:00.000Z',
      author: { '@type': 'Person', name: 'Thu Hằng' }, publisher: { '@type': 'Organization', name: 'Báo Thế giới & Việt Nam' },
    });
  });

  it('reads a rendered article from the database in one round trip', async () => {
    await service.settled();
    // every statement this process sends that reads the site's tables, while one page is rendered (a query string: never kept)
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      const text = typeof config === 'string' ? config : config?.text ?? '';
      if (/publications|story_images|false_claims/.test(text)) sent.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      const res = await get(`/read/en/${ids.en}?round-trips`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.contain('class="lead-figure"');
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(sent, sent.map((t) => t.slice(0, 80)).join('\n')).to.have.length(1);
  });

  it('serves pages under a strict CSP, with one stylesheet, cached until something is published', async () => {
    const first = await get(`/read/en/${ids.en}`);
    const html = await first.text();
    expect(first.headers.get('content-security-policy')).to.equal("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(html).not.to.match(/\sstyle=|<style|\son[a-z]+=/i);
    const sheets = [...parseHTML(html).document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute('href'));
    expect(sheets).to.have.length(1);
    const css = await get(sheets[0]!);
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(await css.text()).to.contain(':lang(lo)');
    const again = await get(`/read/en/${ids.en}`);
    expect(again.headers.get('server-timing'), 'answered from memory').to.equal('cache;desc="hit"');
    expect(again.headers.get('etag')).to.equal(first.headers.get('etag'));
    expect((await get(`/read/en/${ids.en}`, { 'if-none-match': first.headers.get('etag')! })).status).to.equal(304);
  });

  it('shows a correction: the note and the correction date, in the audience\'s locale', async () => {
    const current = (await translator('GET', `/api/v1/translations/${ids.en}`)).body.data;
    expect((await translator('PATCH', `/api/v1/translations/${ids.en}`, { title: 'Prime Minister receives the new Ambassador', version: current.version })).status).to.equal(200);
    const submitted = await translator('POST', `/api/v1/translations/${ids.en}/submit`);
    expect(submitted.status).to.equal(200);
    now = new Date('2026-12-02T01:03:00Z');
    expect((await editor('POST', `/api/v1/translations/${ids.en}/approve`, { version: submitted.body.data.version })).status).to.equal(200);
    const { document } = await page(`/read/en/${ids.en}`);
    expect(document.querySelector('h1')!.textContent, 'the cached page was dropped').to.equal('Prime Minister receives the new Ambassador');
    expect(document.querySelector('.correction')!.textContent).to.equal('Correction: this article was updated on 2 December 2026 at 01:03 GMT.');
    expect([...document.querySelectorAll('.dates div')].map((d) => d.textContent)).to.include('Corrected 2 December 2026 at 01:03 GMT');
    const ld = JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent!);
    expect(ld.dateModified).to.equal('2026-12-02T01:03:00.000Z');
  });

  it('has a home page with priority and latest stories and topics, in each audience\'s language', async () => {
    const en = await page('/en/');
    expect(en.res.status).to.equal(200);
    expect(en.document.querySelector('.latest h3 a')!.textContent).to.equal('Prime Minister receives the new Ambassador');
    expect(en.document.querySelector('.top'), 'a priority story is on top for three days').to.equal(null);
    expect([...en.document.querySelectorAll('.topics a')].map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([['Foreign affairs', '/en/topics/doi-ngoai/']]);
    expect([...en.document.querySelectorAll('link[rel="alternate"][hreflang]')].map((l) => l.getAttribute('hreflang'))).to.deep.equal(['en', 'fr', 'x-default']);
    expect(en.document.querySelector('.desk a')!.getAttribute('href'), 'a discreet way into the desk').to.equal('/ui/login');
    const fr = await page('/fr/');
    expect(fr.document.documentElement.getAttribute('lang')).to.equal('fr');
    expect(fr.document.querySelector('.topics a')!.textContent).to.equal('Affaires étrangères');
    expect(fr.document.querySelector('.latest h2')!.textContent).to.equal('Dernières nouvelles');
    const topic = await page('/fr/topics/doi-ngoai/');
    expect(topic.document.querySelector('h1')!.textContent).to.equal('Affaires étrangères');
    expect(topic.document.querySelector('.card h2 a')!.getAttribute('href')).to.equal(`/read/fr/${ids.fr}`);
    expect((await get('/fr/topics/doi-ngoai')).headers.get('location'), 'the address with its slash').to.equal('/fr/topics/doi-ngoai/');
    expect((await get('/fr')).status).to.equal(301);
  });

  it('has an archive by month and day in the audience\'s time zone', async () => {
    const archive = await page('/ru/archive/');
    expect(archive.res.status).to.equal(200);
    const fr = await page('/fr/archive/');
    expect([...fr.document.querySelectorAll('.months a')].map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([['novembre', '/fr/archive/2026/11/']]);
    const month = await page('/fr/archive/2026/11/');
    expect(month.document.querySelector('h1')!.textContent).to.equal('novembre 2026');
    expect([...month.document.querySelectorAll('.days a')].map((a) => a.getAttribute('href'))).to.deep.equal(['/fr/archive/2026/11/20/']);
    const day = await page('/fr/archive/2026/11/20/');
    expect(day.document.querySelector('h1')!.textContent).to.equal('vendredi 20 novembre 2026');
    expect([...day.document.querySelectorAll('.card h2 a')].map((a) => a.textContent)).to.deep.equal(['Le Premier ministre reçoit l’ambassadeur']);
    expect((await get('/fr/archive/2026/13/')).status).to.equal(404);
    expect((await get('/fr/archive/2026/02/30/')).status).to.equal(404);
  });

  it('lists every audience with something public in robots.txt, each with a sitemap index, monthly sitemaps and hreflang', async () => {
    const robots = await (await get('/robots.txt')).text();
    expect(robots).to.contain('Disallow: /ui/');
    expect(robots.split('\n').filter((l) => l.startsWith('Sitemap:'))).to.deep.equal([`Sitemap: ${PUBLIC}/en/sitemap.xml`, `Sitemap: ${PUBLIC}/fr/sitemap.xml`]);
    const index = await get('/en/sitemap.xml');
    expect(index.headers.get('content-type')).to.equal('application/xml; charset=utf-8');
    const locs = [...(await index.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).to.deep.equal([`${PUBLIC}/en/sitemap-pages.xml`, `${PUBLIC}/en/sitemap-2026-11.xml`, `${PUBLIC}/feeds/en/news-sitemap.xml`]);
    const month = await (await get('/en/sitemap-2026-11.xml')).text();
    expect(month).to.contain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
    expect(month).to.contain(`<loc>${PUBLIC}/read/en/${ids.en}</loc>`);
    expect(month).to.contain(`<xhtml:link rel="alternate" hreflang="en" href="${PUBLIC}/read/en/${ids.en}"/>`);
    expect(month).to.contain(`<xhtml:link rel="alternate" hreflang="fr" href="${PUBLIC}/read/fr/${ids.fr}"/>`);
    const pages = await (await get('/fr/sitemap-pages.xml')).text();
    expect(pages).to.contain(`<loc>${PUBLIC}/fr/topics/doi-ngoai/</loc>`);
    expect(pages).to.contain(`<loc>${PUBLIC}/fr/archive/2026/11/</loc>`);
  });

  it('leads / to the home page in the reader\'s language, else the default audience\'s', async () => {
    expect((await get('/', { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' })).headers.get('location')).to.equal('/fr/');
    const plain = await get('/');
    expect(plain.status).to.equal(302);
    expect(plain.headers.get('location')).to.equal('/en/');
    expect(plain.headers.get('vary')).to.equal('Accept-Language');
    expect((await get('/', { 'accept-language': 'ko' })).headers.get('location'), 'Korean has nothing public yet').to.equal('/en/');
  });

  it('answers unknown pages with 404 and withdrawn articles with 410, in the audience\'s language', async () => {
    const missing = await page('/fr/nulle-part/');
    expect(missing.res.status).to.equal(404);
    expect(missing.document.querySelector('h1')!.textContent).to.equal('Page introuvable');
    expect(missing.document.querySelector('meta[name="robots"]')!.getAttribute('content')).to.equal('noindex');
    const noArticle = await page('/read/ru/999999');
    expect(noArticle.res.status).to.equal(404);
    expect(noArticle.document.querySelector('h1')!.textContent).to.equal('Страница не найдена');
    expect((await page('/read/en/abc')).res.status).to.equal(404);
    const elsewhere = await page('/no-such-place');
    expect(elsewhere.res.status).to.equal(404);
    expect(elsewhere.document.documentElement.getAttribute('lang'), 'the default audience\'s language').to.equal('en');

    await page(`/read/fr/${ids.fr}`); // cached, then withdrawn
    now = new Date('2026-12-02T02:00:00Z');
    expect((await editor('POST', `/api/v1/translations/${ids.fr}/withdraw`, { reason: 'Retracted at the source' })).status).to.equal(200);
    const gone = await page(`/read/fr/${ids.fr}`);
    expect(gone.res.status).to.equal(410);
    expect(gone.document.querySelector('h1')!.textContent).to.equal('Article retiré');
    const en = await page(`/read/en/${ids.en}`);
    expect([...en.document.querySelectorAll('link[hreflang="fr"]')], 'no alternate to a withdrawn translation').to.have.length(0);
  });

  it('serves /media to other origins, with exact type and length, and makes a newer size on first request', async () => {
    const card = await get(`/media/${hash}-card.jpg`, { origin: 'https://outlet.example' });
    expect(card.status).to.equal(200);
    expect(card.headers.get('cross-origin-resource-policy')).to.equal('cross-origin');
    expect(card.headers.get('access-control-allow-origin')).to.equal('*');
    expect(card.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(card.headers.get('content-type')).to.equal('image/jpeg');
    const body = Buffer.from(await card.arrayBuffer());
    expect(card.headers.get('content-length')).to.equal(String(body.length));
    // an image stored before this size existed: made from its large variant, then stored
    await database.db.deleteFrom('image_variants').where('hash', '=', hash).where('variant', '=', 'w480-webp').execute();
    const small = await get(`/media/${hash}-w480-webp.webp`);
    expect(small.status).to.equal(200);
    expect(await sharp(Buffer.from(await small.arrayBuffer())).metadata()).to.include({ format: 'webp', width: 480, height: 300 });
    expect(await database.db.selectFrom('image_variants').select('variant').where('hash', '=', hash).where('variant', '=', 'w480-webp').executeTakeFirst()).to.deep.equal({ variant: 'w480-webp' });
  });
});
