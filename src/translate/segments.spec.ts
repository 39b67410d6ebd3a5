import { expect } from 'chai';
import { bodySegments, lostLinks, markedToXml, rebuildBody, segmentKey, storySegments, xmlToMarked } from './segments.ts';

describe('segments', () => {
  it('marks link text, keeps URLs out of the text, and restores links when rebuilding', () => {
    const [block] = bodySegments('<p>Xem <a href="https://mofa.gov.vn/a?b=1&amp;c=2">thông cáo</a> và <a href="/x">đây</a>.</p>');
    expect(block!.text).to.equal('Xem ⟦0⟧thông cáo⟦/0⟧ và ⟦1⟧đây⟦/1⟧.');
    expect(block!.text).not.to.contain('mofa');
    expect(block!.links).to.deep.equal(['https://mofa.gov.vn/a?b=1&c=2', '/x']);
    expect(rebuildBody('<p>Xem <a href="https://mofa.gov.vn/a?b=1&amp;c=2">thông cáo</a> và <a href="/x">đây</a>.</p>', [block!], ['See ⟦0⟧the statement⟦/0⟧ and ⟦1⟧here⟦/1⟧.']))
      .to.equal('<p>See <a href="https://mofa.gov.vn/a?b=1&amp;c=2">the statement</a> and <a href="/x">here</a>.</p>');
  });

  it('keeps block structure: headings, lists and quotes as they were, nested blocks not doubled', () => {
    const html = '<h2>Tiêu đề</h2><ul><li>Một</li><li>Hai</li></ul><blockquote><p>Trích</p></blockquote>';
    const blocks = bodySegments(html);
    expect(blocks.map((b) => [b.tag, b.text])).to.deep.equal([['h2', 'Tiêu đề'], ['li', 'Một'], ['li', 'Hai'], ['p', 'Trích']]);
    expect(rebuildBody(html, blocks, ['Title', 'One', 'Two', 'Quote'])).to.equal('<h2>Title</h2><ul><li>One</li><li>Two</li></ul><blockquote><p>Quote</p></blockquote>');
  });

  it('keeps a figure (image kept, alt and caption translated), a table cell by cell, an ordered list, bold and italics', () => {
    const html = '<figure><img src="https://a.vn/anh.jpg" alt="Lễ khai mạc" width="800"><figcaption>Toàn cảnh <em>lễ khai mạc</em></figcaption></figure>'
      + '<table><caption>Kết quả</caption><tr><th>Chỉ tiêu</th><th>2026</th></tr><tr><td>Xuất khẩu</td><td>3,7 tỷ USD</td></tr></table>'
      + '<ol><li>Thứ nhất</li><li>Thứ <strong>hai</strong> và <a href="/x"><b>ba</b></a></li></ol>';
    const blocks = bodySegments(html);
    expect(blocks.map((b) => b.text)).to.deep.equal(['Lễ khai mạc', 'Toàn cảnh ⟦0⟧lễ khai mạc⟦/0⟧', 'Kết quả', 'Chỉ tiêu', '2026', 'Xuất khẩu', '3,7 tỷ USD', 'Thứ nhất', 'Thứ ⟦0⟧hai⟦/0⟧ và ⟦1⟧⟦2⟧ba⟦/2⟧⟦/1⟧']);
    expect(blocks.at(-1)!.links).to.deep.equal(['<strong>', '/x', '<b>']);
    const out = rebuildBody(html, blocks, ['Opening ceremony', 'View of the ⟦0⟧opening ceremony⟦/0⟧', 'Results', 'Indicator', '2026', 'Exports', '3.7 billion USD', 'First', 'Second ⟦0⟧two⟦/0⟧ and ⟦1⟧⟦2⟧three⟦/2⟧⟦/1⟧']);
    expect(out).to.equal('<figure><img src="https://a.vn/anh.jpg" alt="Opening ceremony" width="800"><figcaption>View of the <em>opening ceremony</em></figcaption></figure>'
      + '<table><caption>Results</caption><tr><th>Indicator</th><th>2026</th></tr><tr><td>Exports</td><td>3.7 billion USD</td></tr></table>'
      + '<ol><li>First</li><li>Second <strong>two</strong> and <a href="/x"><b>three</b></a></li></ol>');
  });

  it('keeps an image inside a paragraph where it stands; closes markup the provider reordered', () => {
    const html = '<p>Ảnh <img src="/a.png" alt="x"> và <i>chú thích</i></p>';
    const [block] = bodySegments(html);
    expect(block!.text).to.equal('Ảnh ⟦0⟧⟦/0⟧ và ⟦1⟧chú thích⟦/1⟧');
    expect(rebuildBody(html, [block!], ['Photo ⟦0⟧⟦/0⟧ and ⟦1⟧caption⟦/1⟧'])).to.equal('<p>Photo <img src="/a.png" alt="x"> and <i>caption</i></p>');
    expect(rebuildBody(html, [block!], ['⟦1⟧Photo ⟦0⟧⟦/0⟧ and caption'])).to.equal('<p><i>Photo <img src="/a.png" alt="x"> and caption</i></p>');
  });

  it('escapes translated text and drops markers the provider lost, reporting them', () => {
    const [block] = bodySegments('<p><a href="https://a.vn">Bộ</a> nói</p>');
    expect(rebuildBody('<p><a href="https://a.vn">Bộ</a> nói</p>', [block!], ['<b>Ministry</b> says'])).to.equal('<p>&lt;b&gt;Ministry&lt;/b&gt; says</p>');
    expect(lostLinks(block!, 'Ministry says')).to.deep.equal([0]);
    expect(lostLinks(block!, '⟦0⟧Ministry⟦/0⟧ says')).to.deep.equal([]);
  });

  it('round-trips link markers through XML for providers with tag handling', () => {
    const marked = 'A & B ⟦0⟧x < y⟦/0⟧ ⟦1⟧z⟦/1⟧';
    const xml = markedToXml(marked);
    expect(xml).to.equal('A &amp; B <l i="0">x &lt; y</l> <l i="1">z</l>');
    expect(xmlToMarked(xml)).to.equal(marked);
  });

  it('matches segments after NFC and whitespace normalisation', () => {
    const nfd = 'Hà Nội  ngày\n1'.normalize('NFD');
    expect(segmentKey(nfd)).to.equal(segmentKey('Hà Nội ngày 1'));
    const [title] = storySegments({ title: nfd, summary: '', body_html: '' });
    expect(title!.text).to.equal('Hà Nội ngày 1'.normalize('NFC'));
  });
});
