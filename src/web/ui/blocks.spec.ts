import { expect } from 'chai';
import { toBlocks } from '../../review/qa/text.ts';
import { joinBlocks, splitBlocks } from './blocks.ts';

describe('editor blocks', () => {
  it('splits paragraphs and headings into editable inner HTML and keeps other elements whole', () => {
    const html = '<p>Một <a href="https://x.vn/a">liên kết</a>.</p>\n<h2>Tiêu đề phụ</h2>\n<ul><li>một</li><li>hai</li></ul>';
    expect(splitBlocks(html)).to.deep.equal([
      { tag: 'p', html: 'Một <a href="https://x.vn/a">liên kết</a>.' },
      { tag: 'h2', html: 'Tiêu đề phụ' },
      { tag: 'raw', html: '<ul><li>một</li><li>hai</li></ul>' },
    ]);
    expect(joinBlocks(splitBlocks(html))).to.equal('<p>Một <a href="https://x.vn/a">liên kết</a>.</p>\n<h2>Tiêu đề phụ</h2>\n<ul><li>một</li><li>hai</li></ul>');
  });
  it('gathers loose text and inline elements into one paragraph, and drops empty blocks', () => {
    expect(splitBlocks('Xem <a href="https://x.vn">đây</a> nhé<p>Đoạn.</p>')).to.deep.equal([{ tag: 'p', html: 'Xem <a href="https://x.vn">đây</a> nhé' }, { tag: 'p', html: 'Đoạn.' }]);
    expect(splitBlocks('Tin &amp; ảnh')).to.deep.equal([{ tag: 'p', html: 'Tin &amp; ảnh' }]);
    expect(joinBlocks([{ tag: 'p', html: '  ' }, { tag: 'p', html: 'x' }])).to.equal('<p>x</p>');
  });

  it('keeps the editor\'s parses safe to change: blocks and plain blocks', () => {
    const html = '<p>Một <b>câu</b>.</p><p>Hai</p>';
    splitBlocks(html)[0]!.html = 'changed';
    toBlocks(html).pop();
    expect(splitBlocks(html)).to.deep.equal([{ tag: 'p', html: 'Một <b>câu</b>.' }, { tag: 'p', html: 'Hai' }]);
    expect(toBlocks(html)).to.deep.equal(['Một câu.', 'Hai']);
  });
});
