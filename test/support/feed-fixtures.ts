/** Feed documents for renderer tests: real-looking items in several scripts, and hostile text. */
import type { FeedDocument, FeedItem } from '../../src/publish/feed-document.ts';

export const HOSTILE = 'A ]]> B <script>alert(1)</script> & "q" \u000B\u0001 lone \uD800 surrogate \uDC00 end';

export function item(overrides: Partial<FeedItem> & { n: number }): FeedItem {
  const { n, ...rest } = overrides;
  const base = Date.UTC(2026, 10, 20, 8, 0, 0) + n * 3600_000;
  return {
    id: `tag:news.example.org,2026-11-20:en/${n}`,
    url: `https://news.example.org/read/en/${n}`,
    language: 'en',
    title: `Story ${n}`,
    summary: `Summary ${n}`,
    contentHtml: `<p>Body ${n}</p>`,
    firstPublishedAt: new Date(base),
    updatedAt: new Date(base),
    version: 1,
    correctionNote: undefined,
    category: undefined,
    author: 'Thu Hằng',
    originalPublishedAt: new Date(base - 5 * 3600_000),
    attribution: 'Báo Thế giới & Việt Nam',
    originalUrl: `https://baoquocte.vn/bai-${n}.html`,
    translations: [],
    image: undefined,
    embargoUntil: undefined,
    ...rest,
  };
}

export function feedOf(language: string, items: FeedItem[], overrides: Partial<FeedDocument> = {}): FeedDocument {
  const base = `https://news.example.org/feeds/${language}`;
  return {
    audienceId: language,
    language,
    title: `Viet Nam news (${language})`,
    description: 'Reviewed translations',
    siteUrl: `${base}/`,
    links: { rss: `${base}/rss.xml`, atom: `${base}/atom.xml`, json: `${base}/feed.json` },
    hubs: ['https://hub.example.org/'],
    credit: 'Translated from Vietnamese; reviewed by our editors.',
    restricted: false,
    items,
    withdrawn: [],
    ...overrides,
  };
}

/** One feed per script the desk publishes in, with the same story shapes. */
export const scripts: { language: string; title: string; summary: string; body: string }[] = [
  { language: 'vi', title: 'Người phát ngôn Bộ Ngoại giao về bảo hộ công dân', summary: 'Đại sứ quán đã liên hệ với cơ quan chức năng sở tại.', body: '<p>Bộ Ngoại giao cho biết đã chỉ đạo Đại sứ quán…</p>' },
  { language: 'zh-Hans', title: '外交部发言人就公民保护问题答记者问', summary: '大使馆已与当地主管部门取得联系。', body: '<p>越南外交部表示，已指示大使馆……</p>' },
  { language: 'ru', title: 'Официальный представитель МИД о защите граждан', summary: 'Посольство связалось с местными властями.', body: '<p>МИД Вьетнама сообщил, что поручил посольству…</p>' },
  { language: 'lo', title: 'ໂຄສົກກະຊວງການຕ່າງປະເທດ ກ່ຽວກັບການປົກປ້ອງພົນລະເມືອງ', summary: 'ສະຖານທູດໄດ້ຕິດຕໍ່ກັບເຈົ້າໜ້າທີ່ທ້ອງຖິ່ນ.', body: '<p>ກະຊວງການຕ່າງປະເທດຫວຽດນາມ ແຈ້ງວ່າ…</p>' },
];
