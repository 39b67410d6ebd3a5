/**
 * The public site in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core):
 * an article in English, Russian, Chinese, Japanese, Korean and Lao at 1366 px and 390 px, with no
 * horizontal scroll, no layout shift, no CSP violation and its lead image shown (screenshots under
 * test-artifacts/); the accessibility audit (axe) on every kind of page, in both widths, with no
 * serious or critical finding; and an outlet's page on another origin, under
 * Cross-Origin-Embedder-Policy: require-corp, showing a feed's image. Without Chromium the suite is
 * skipped with a message.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { openBrowser, skipWithoutChromium, type TestBrowser } from './support/browser.ts';
import { renderVariants } from '../src/ingest/images.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const artifacts = path.resolve('test-artifacts');
const logo = fileURLToPath(new URL('../config/logos/doingoai.svg', import.meta.url));
const LONG_URL = 'https://baoquocte.vn/thong-tin-doi-ngoai/bo-ngoai-giao-thong-bao-ve-cong-tac-bao-ho-cong-dan-viet-nam-o-nuoc-ngoai-trong-muoi-thang-dau-nam-2026.html';

const TEXTS: Record<string, { language: string; name: string; title: string; summary: string; paragraphs: string[]; caption: string; table: [string, string] }> = {
  en: { language: 'en', name: 'Viet Nam News', title: 'Foreign Ministry spokesperson on the protection of Vietnamese citizens abroad',
    summary: 'In the first ten months of 2026, overseas missions handled 1,245 cases and assisted more than 3,600 citizens.',
    paragraphs: ['On the afternoon of 12 November, spokesperson Do Thanh Van said the ministry had told every mission to keep its hotline open around the clock.', 'Missions worked with local authorities to verify information, visit detained citizens and help those in difficulty return home safely.'],
    caption: 'The spokesperson at the regular press briefing in Ha Noi. (Photo: VNA)', table: ['Cases handled', 'Citizens assisted'] },
  ru: { language: 'ru', name: 'Новости Вьетнама', title: 'Официальный представитель МИД о защите граждан Вьетнама за рубежом',
    summary: 'За первые десять месяцев 2026 года загранучреждения рассмотрели 1245 дел и оказали помощь более чем 3600 гражданам.',
    paragraphs: ['Во второй половине дня 12 ноября официальный представитель До Тхань Ван сообщила, что министерство поручило всем представительствам круглосуточно поддерживать горячие линии.', 'Представительства совместно с местными властями проверяли информацию, посещали задержанных граждан и помогали попавшим в трудное положение вернуться домой.'],
    caption: 'Официальный представитель на регулярном брифинге в Ханое. (Фото: ВИА)', table: ['Рассмотрено дел', 'Оказана помощь гражданам'] },
  zh: { language: 'zh-Hans', name: '越南新闻', title: '越南外交部发言人就海外越南公民保护工作答记者问',
    summary: '2026年前十个月，越南驻外代表机构处理了1245起案件，协助了3600多名公民。',
    paragraphs: ['11月12日下午，外交部发言人杜青云表示，外交部已指示各驻外代表机构保持热线全天候畅通。', '各代表机构与当地主管部门配合核实信息，探视被拘留公民，并帮助遇到困难的公民安全回国。'],
    caption: '发言人在河内举行的例行记者会上。（图片：越通社）', table: ['处理案件', '协助公民'] },
  ja: { language: 'ja', name: 'ベトナム・ニュース', title: '外務省報道官、在外ベトナム国民の保護について発言',
    summary: '2026年の最初の10か月間に、在外公館は1,245件の案件を処理し、3,600人以上の国民を支援した。',
    paragraphs: ['11月12日午後、ド・タイン・ヴァン報道官は、外務省がすべての在外公館に対し、ホットラインを24時間体制で維持するよう指示したと述べた。', '在外公館は現地当局と協力して情報を確認し、拘束された国民を訪問し、困難に直面した人々の安全な帰国を支援した。'],
    caption: 'ハノイでの定例記者会見に臨む報道官。（写真：VNA）', table: ['処理した案件', '支援した国民'] },
  ko: { language: 'ko', name: '베트남 뉴스', title: '외교부 대변인, 해외 베트남 국민 보호 활동에 대해 발언',
    summary: '2026년 첫 10개월 동안 재외공관은 1,245건의 사건을 처리하고 3,600명이 넘는 국민을 지원했다.',
    paragraphs: ['11월 12일 오후 도 타인 반 대변인은 외교부가 모든 재외공관에 핫라인을 24시간 유지하도록 지시했다고 밝혔다.', '재외공관은 현지 당국과 협력해 정보를 확인하고 구금된 국민을 면회했으며 어려움에 처한 국민이 안전하게 귀국하도록 도왔다.'],
    caption: '하노이 정례 브리핑에 참석한 대변인. (사진: VNA)', table: ['처리 사건', '지원 국민'] },
  lo: { language: 'lo', name: 'ຂ່າວຫວຽດນາມ', title: 'ໂຄສົກກະຊວງການຕ່າງປະເທດ ກ່ຽວກັບການປົກປ້ອງພົນລະເມືອງຫວຽດນາມຢູ່ຕ່າງປະເທດ',
    summary: 'ໃນສິບເດືອນທຳອິດຂອງປີ 2026, ອົງການຕາງໜ້າຢູ່ຕ່າງປະເທດໄດ້ແກ້ໄຂ 1.245 ກໍລະນີ ແລະ ຊ່ວຍເຫຼືອພົນລະເມືອງຫຼາຍກວ່າ 3.600 ຄົນ.',
    paragraphs: ['ໃນຕອນບ່າຍວັນທີ 12 ພະຈິກ, ໂຄສົກ ໂດ ແທັງ ວັນ ໄດ້ກ່າວວ່າ ກະຊວງໄດ້ມອບໝາຍໃຫ້ບັນດາອົງການຕາງໜ້າຮັກສາສາຍດ່ວນຕະຫຼອດ 24 ຊົ່ວໂມງ.', 'ບັນດາອົງການຕາງໜ້າໄດ້ປະສານກັບເຈົ້າໜ້າທີ່ທ້ອງຖິ່ນ ເພື່ອກວດສອບຂໍ້ມູນ ແລະ ຊ່ວຍເຫຼືອພົນລະເມືອງກັບບ້ານຢ່າງປອດໄພ.'],
    caption: 'ໂຄສົກໃນກອງປະຊຸມຖະແຫຼງຂ່າວປົກກະຕິຢູ່ຮ່າໂນ້ຍ. (ພາບ: VNA)', table: ['ກໍລະນີທີ່ແກ້ໄຂ', 'ພົນລະເມືອງທີ່ໄດ້ຮັບການຊ່ວຍເຫຼືອ'] },
};
const AUDIENCES = Object.keys(TEXTS);
const WIDTHS = [{ width: 1366, height: 900 }, { width: 390, height: 844 }];

describe('public site in a browser', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let service: Service;
  let page: Page;
  let browser: TestBrowser | undefined;
  let outlet: Server;
  let outletUrl: string;
  let hash: string;
  const ids: Record<string, number> = {};

  before(async function () {
    skipWithoutChromium(this);
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: AUDIENCES.map((id) => ({ id, language: TEXTS[id]!.language, provider: 'manual', timeZone: 'Asia/Ho_Chi_Minh', publicationName: TEXTS[id]!.name, logo })),
      publishing: { publicUrl: 'https://news.example.org' },
    }), database);
    await service.settled();
    const editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    const bytes = await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#7a4b2e' } }).composite([{ input: Buffer.from('<svg width="1800" height="1200"><circle cx="900" cy="600" r="400" fill="#f0c040"/></svg>') }]).png().toBuffer();
    hash = createHash('sha256').update(bytes).digest('hex');
    const variants = await renderVariants(bytes, 40_000_000);
    await database.db.insertInto('images').values({ hash, source_url: 'https://baoquocte.vn/anh/hop-bao.png', mime: variants.mime, width: 1800, height: 1200, bytes: bytes.length }).execute();
    await database.db.insertInto('image_variants').values(variants.outputs.map((v) => ({ hash, ...v }))).execute();
    const story = await database.db.insertInto('stories').values({
      guid: 'browser-1', title: 'Người phát ngôn Bộ Ngoại giao về công tác bảo hộ công dân', summary: 'Tóm tắt', body_html: '<p>Nội dung</p>', content_hash: 'b1',
      url: 'https://baoquocte.vn/bao-ho-cong-dan.html', attribution: 'Báo Thế giới & Việt Nam', category: 'Đối ngoại', author: 'Thu Hằng',
      published_at: new Date('2026-11-12T09:20:00Z'), priority: true,
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('story_images').values({ story_id: story.id, position: 0, hash, source_url: 'https://baoquocte.vn/anh/hop-bao.png' }).execute();
    for (const id of AUDIENCES) {
      const x = TEXTS[id]!;
      const body = `<figure><img src="https://baoquocte.vn/anh/hop-bao.png" alt="" /><figcaption>${x.caption}</figcaption></figure>`
        + x.paragraphs.map((p) => `<p>${p}</p>`).join('')
        + `<table><thead><tr><th>2026</th><th>${x.table[0]}</th><th>${x.table[1]}</th><th>Q1</th><th>Q2</th><th>Q3</th></tr></thead><tbody><tr><td>1–10</td><td>1,245</td><td>3,600</td><td>402</td><td>415</td><td>428</td></tr></tbody></table>`
        + `<ul><li>${x.table[0]}: 1,245</li><li>${x.table[1]}: 3,600</li></ul><p><a href="${LONG_URL}">${LONG_URL}</a></p>`;
      const row = await database.db.insertInto('translations').values({
        story_id: story.id, audience_id: id, language: x.language, state: 'in_review', provider: 'manual', title: x.title, summary: x.summary, body_html: body,
      }).returning('id').executeTakeFirstOrThrow();
      expect((await editor('POST', `/api/v1/translations/${row.id}/approve`, { version: 1 })).status).to.equal(200);
      ids[id] = row.id;
    }
    // an outlet's page on another origin (127.0.0.1, where the service is "localhost"), isolated so that
    // only images that declare Cross-Origin-Resource-Policy: cross-origin may load
    outlet = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cross-origin-embedder-policy': 'require-corp' });
      res.end(`<!DOCTYPE html><html lang="en"><title>Outlet</title><img id="feed-image" alt="" src="${service.url}/media/${hash}-card.jpg"></html>`);
    });
    await new Promise<void>((resolve) => outlet.listen(0, '127.0.0.1', resolve));
    outletUrl = `http://127.0.0.1:${(outlet.address() as { port: number }).port}/`;

    browser = await openBrowser({ viewport: WIDTHS[0]! });
    page = browser.page;
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (outlet ? outlet.close(() => resolve()) : resolve()));
    await service?.close();
    await database?.close();
  });

  /** Opens a page, collecting CSP violations and layout shifts; returns what the page measured. */
  async function open(url: string) {
    const problems: string[] = [];
    const onConsole = (m: { type(): string; text(): string }) => { if (m.type() === 'error') problems.push(m.text()); };
    page.on('console', onConsole);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(100);
    const measured = await page.evaluate(() => new Promise<{ scrollWidth: number; innerWidth: number; shift: number; lead: number }>((resolve) => {
      let shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => {
        const lead = document.querySelector<HTMLImageElement>('.lead-figure img, .thumb img');
        resolve({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, shift, lead: lead?.naturalWidth ?? -1 });
      }, 50);
    }));
    page.off('console', onConsole);
    return { ...measured, problems };
  }

  async function audit(label: string) {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`), `axe on ${label}`).to.deep.equal([]);
  }

  for (const size of WIDTHS) {
    for (const id of AUDIENCES) {
      it(`renders the ${id} article at ${size.width} px: no sideways scroll, no layout shift, its image, no CSP error, axe clean`, async () => {
        await page.setViewportSize(size);
        const m = await open(`${service.url}/read/${id}/${ids[id]}`);
        await page.screenshot({ path: path.join(artifacts, `site-article-${id}-${size.width}.png`), fullPage: true });
        expect(m.problems, 'console errors (CSP violations among them)').to.deep.equal([]);
        expect(m.scrollWidth, 'no horizontal scroll').to.be.at.most(m.innerWidth);
        expect(m.shift, 'cumulative layout shift').to.be.below(0.01);
        expect(m.lead, 'the lead image loaded from our origin').to.be.greaterThan(0);
        expect(await page.locator('h1').innerText()).to.equal(TEXTS[id]!.title);
        expect(await page.locator('html').getAttribute('lang')).to.equal(TEXTS[id]!.language);
        // the audit takes seconds: every language on a phone, English on a wide screen
        if (size.width < 600 || id === 'en') await audit(`${id} article at ${size.width} px`);
      });
    }
    it(`renders the home, topic, archive, search and 404 pages at ${size.width} px, axe clean`, async () => {
      await page.setViewportSize(size);
      for (const [name, url] of [['home', '/zh/'], ['topic', '/ko/topics/doi-ngoai/'], ['archive', '/ja/archive/2026/11/'], ['day', '/lo/archive/2026/11/'], ['search', `/ja/search/?q=${encodeURIComponent('報道官')}`], ['not-found', '/ru/nowhere/']] as const) {
        const m = await open(`${service.url}${url}`);
        await page.screenshot({ path: path.join(artifacts, `site-${name}-${size.width}.png`), fullPage: true });
        expect(m.problems.filter((p) => !p.includes('404')), `${name}: console errors`).to.deep.equal([]);
        expect(m.scrollWidth, `${name}: no horizontal scroll`).to.be.at.most(m.innerWidth);
        expect(m.shift, `${name}: layout shift`).to.be.below(0.01);
        await audit(`${name} at ${size.width} px`);
      }
    });
  }

  it('lets an outlet on another origin show a feed\'s image (Cross-Origin-Resource-Policy: cross-origin)', async () => {
    await page.goto(outletUrl, { waitUntil: 'load' });
    const width = await page.evaluate(() => document.querySelector<HTMLImageElement>('#feed-image')!.naturalWidth);
    expect(width).to.equal(1200);
  });
});
