import { expect } from 'chai';
import { cleanItem } from './clean.ts';
import type { IngestedItem } from './item.ts';

const item = (over: Partial<IngestedItem>): IngestedItem => ({
  guid: 'g', url: 'https://tinh.example.vn/tin/1.html', title: 'Tin', summary: '', bodyHtml: '', author: undefined, category: undefined, imageUrl: undefined, publishedAt: undefined, ...over,
});

describe('cleaning', () => {
  it('composes decomposed Vietnamese into NFC everywhere', async () => {
    const c = await cleanItem(item({ title: 'Hà Nội'.normalize('NFD'), bodyHtml: '<p>Đà Nẵng</p>'.normalize('NFD'), guid: 'mã-tin'.normalize('NFD') }), undefined);
    expect(c.title).to.equal('Hà Nội');
    expect(c.bodyHtml).to.equal('<p>Đà Nẵng</p>');
    expect(c.guid).to.equal('mã-tin');
  });
  it('keeps a trailing credit line as attribution, out of the body', async () => {
    const c = await cleanItem(item({ bodyHtml: '<p>Nội dung bài viết.</p><p><strong>Nguồn tin:</strong> Theo Thu Hằng/<a href="https://tuyengiao.vn/">tuyengiao.vn</a></p>' }), undefined);
    expect(c.attribution).to.equal('Nguồn tin: Theo Thu Hằng/tuyengiao.vn');
    expect(c.bodyHtml).to.equal('<p>Nội dung bài viết.</p>');
    const alone = await cleanItem(item({ bodyHtml: '<p>Theo: một câu ngắn là cả bài</p>' }), undefined);
    expect(alone.attribution, 'a body that is only that line keeps it').to.equal(undefined);
  });
  it('drops scripts, handlers, forms and dangerous URLs; makes links absolute; un-nests paragraphs', async () => {
    const c = await cleanItem(item({ bodyHtml: '<div><p onclick="x()">A <a href="/b">b</a> <a href="javascript:x()">c</a></p></div><script>x()</script><form><input></form><img src="data:image/png;base64,AA"><iframe src="https://e/"></iframe>' }), undefined);
    expect(c.bodyHtml).to.equal('<p>A <a href="https://tinh.example.vn/b">b</a> <a>c</a></p>');
  });
});
