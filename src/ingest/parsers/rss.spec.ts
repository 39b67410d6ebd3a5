import { expect } from 'chai';
import { parseRss } from './rss.ts';

describe('RSS parser', () => {
  it('takes the lead image from the description when there is no enclosure', () => {
    const [item] = parseRss('https://tinh.example.vn/rss/', `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Tin</title><guid>1</guid><description>&lt;a href="/tin/1.html"&gt;&lt;img src="/anh/1.jpg" width="120"&gt;&lt;/a&gt;Tóm tắt</description></item><item></item></channel></rss>`);
    expect(item!.imageUrl).to.equal('https://tinh.example.vn/anh/1.jpg');
  });
});
