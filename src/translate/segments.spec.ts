import { expect } from 'chai';
import { bodySegments, lostLinks, markedToXml, rebuildBody, segmentKey, storySegments, xmlToMarked } from './segments.ts';

describe('segments', () => {
  it('marks link text, keeps URLs out of the text, and restores links when rebuilding', () => {
    const [block] = bodySegments('<p>Xem <a href="https://mofa.gov.vn/a?b=1&amp;c=2">thông cáo</a> và <a href="/x">đây</a>.</p>');
    expect(block!.text).to.equal('Xem ⟦0⟧thông cáo⟦/0⟧ và ⟦1⟧đây⟦/1⟧.');
    expect(block!.text).not.to.contain('mofa');
    expect(block!.links).to.deep.equal(['https://mofa.gov.vn/a?b=1&c=2', '/x']);
    expect(rebuildBody([block!], ['See ⟦0⟧the statement⟦/0⟧ and ⟦1⟧here⟦/1⟧.']))
      .to.equal('<p>See <a href="https://mofa.gov.vn/a?b=1&amp;c=2">the statement</a> and <a href="/x">here</a>.</p>');
  });

  it('keeps block structure: headings stay headings, list items become paragraphs, nested blocks are not doubled', () => {
    const blocks = bodySegments('<h2>Tiêu đề</h2><ul><li>Một</li><li>Hai</li></ul><blockquote><p>Trích</p></blockquote>');
    expect(blocks.map((b) => [b.tag, b.text])).to.deep.equal([['h2', 'Tiêu đề'], ['li', 'Một'], ['li', 'Hai'], ['p', 'Trích']]);
    expect(rebuildBody(blocks, ['Title', 'One', 'Two', 'Quote'])).to.equal('<h2>Title</h2>\n<p>One</p>\n<p>Two</p>\n<p>Quote</p>');
  });

  it('escapes translated text and drops markers the provider lost, reporting them', () => {
    const [block] = bodySegments('<p><a href="https://a.vn">Bộ</a> nói</p>');
    expect(rebuildBody([block!], ['<b>Ministry</b> says'])).to.equal('<p>&lt;b&gt;Ministry&lt;/b&gt; says</p>');
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
