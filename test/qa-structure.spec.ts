/** The markup and completeness checks, and every check together on a whole sample story. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runChecks } from '../src/review/qa/index.ts';
import { parseGlossaryTsv } from '../src/store/glossary.ts';
import { pairSuite } from './support/qa-pairs.ts';

const link = '<p>Toàn văn báo cáo được đăng tải tại <a href="https://tuyengiao.example.vn/van-ban/bao-cao-kt-xh-10-thang-2026.html">mục Văn bản</a> trên Cổng thông tin.</p>';

pairSuite('markup', {
  correct: [
    [link, '<p>The full report is available in the <a href="https://tuyengiao.example.vn/van-ban/bao-cao-kt-xh-10-thang-2026.html">Documents section</a> of the portal.</p>'],
    ['<p>Xem <strong>báo cáo</strong> tại https://tuyengiao.example.vn/bao-cao.</p>', '<p>See the <strong>report</strong> at https://tuyengiao.example.vn/bao-cao.</p>'],
    ['<p>Một đoạn.</p><p>Đoạn hai <em>nghiêng</em>.</p>', '<p>One paragraph.</p><p>Paragraph two, <em>in italics</em>.</p>'],
    ['Không có thẻ nào.', 'No tags at all.'],
    ['<p>Ảnh: <img src="https://tuyengiao.example.vn/a.jpg" alt="Hội nghị"></p>', '<p>Photo: <img src="https://tuyengiao.example.vn/a.jpg" alt="The conference"></p>'],
  ],
  wrong: [
    [link, '<p>The full report is available in the Documents section of the portal.</p>', /link to https:\/\/tuyengiao\.example\.vn\/van-ban/],
    [link, '<p>The full report is in the <a href="https://tuyengiao.example.vn/van-ban/report.html">Documents section</a>.</p>', /link to/],
    ['<p>Xem tại https://tuyengiao.example.vn/bao-cao.</p>', '<p>See https://tuyengiao.example.vn/report.</p>', /address https:\/\/tuyengiao\.example\.vn\/bao-cao/],
    ['<p>Xem <strong>báo cáo</strong>.</p>', '<p>See the <strong>report.</p>', /<strong> is never closed/],
    ['<p>Xem báo cáo.</p>', '<p>See the report.</em></p>', /<\/em> closes nothing/],
    ['<p>Xem <strong>báo cáo</strong>.</p>', '<p>See the report.</p>', /1 <strong>/, 'warning'],
    ['<p>Ảnh: <img src="https://tuyengiao.example.vn/a.jpg"></p>', '<p>Photo:</p>', /image/],
    ['<p>Xem báo cáo.</p>', '<p>See the <a href="https://spam.example/">report</a>.</p>', /spam\.example/, 'warning'],
  ],
});

const table = '<table><tr><th>Tháng</th><th>Kim ngạch</th></tr><tr><td>Tháng 10</td><td>1,2 tỷ USD</td></tr><tr><td>Tháng 11</td><td>2,5 tỷ USD</td></tr></table>';
const figure = '<figure><img src="https://tgvn.vn/a.jpg" alt="Khai mạc"><figcaption>Các đại biểu cắt băng</figcaption></figure>';
const list = '<ul><li>Dệt may</li><li>Điện tử</li><li>Nông sản</li></ul>';
pairSuite('markup', {
  correct: [
    [table, '<table><tr><th>Month</th><th>Turnover</th></tr><tr><td>October</td><td>1.2 billion USD</td></tr><tr><td>November</td><td>2.5 billion USD</td></tr></table>'],
    [figure, '<figure><img src="https://tgvn.vn/a.jpg" alt="Opening"><figcaption>Delegates cut the ribbon</figcaption></figure>'],
    [list, '<ul><li>Textiles</li><li>Electronics</li><li>Farm produce</li></ul>'],
  ],
  wrong: [
    [table, '<p>Month Turnover October 1.2 billion USD November 2.5 billion USD</p>', /table 1 of the source \(3 row\(s\) \(2, 2, 2 cells\)\) is missing/],
    [table, '<table><tr><th>Month</th><th>Turnover</th></tr><tr><td>October</td><td>1.2 billion USD</td></tr></table>', /table 1 has 3 row\(s\).* 2 row\(s\)/],
    [table, '<table><tr><th>Month</th><th>Turnover</th></tr><tr><td>October 1.2 billion USD</td></tr><tr><td>November</td><td>2.5 billion USD</td></tr></table>', /from row 2/],
    [figure, '<figure><img src="https://tgvn.vn/a.jpg" alt="Opening"></figure>', /caption of the figure with https:\/\/tgvn\.vn\/a\.jpg is missing/],
    [figure, '<figure><img src="https://tgvn.vn/a.jpg"><figcaption>Delegates cut the ribbon</figcaption></figure>', /no alt text/, 'warning'],
    [list, '<ul><li>Textiles</li><li>Electronics and farm produce</li></ul>', /list 1 has 3 items in the source, 2 in the translation/],
    [list, '<p>Textiles, electronics and farm produce.</p>', /list 1 of the source \(3 items\) is missing/],
  ],
});

const para = (s: string) => `<p>${s}</p>`;
const vi1 = 'Thông tin đối ngoại là một bộ phận rất quan trọng trong công tác tuyên truyền và tư tưởng, thường xuyên được Đảng và Nhà nước ta quan tâm và chỉ đạo chặt chẽ.';
const en1 = 'External information is a very important part of propaganda and ideological work, and it has always received close attention and guidance from the Party and State.';
const vi2 = 'Hội nghị nhận định, trong thời gian qua, tình hình thế giới và khu vực có nhiều diễn biến phức tạp, khó lường.';
const en2 = 'The conference noted that the world and regional situation has recently seen many complex and unpredictable developments.';
const vi3 = 'Ở trong nước, bên cạnh những thuận lợi vẫn còn tồn tại nhiều khó khăn, thách thức đan xen.';
const en3 = 'At home, alongside favourable conditions, there are still many intertwined difficulties and challenges.';

pairSuite('completeness', {
  correct: [
    [para(vi1) + para(vi2) + para(vi3), para(en1) + para(en2) + para(en3)],
    [`${vi1}\n\n${vi2}`, `${en1}\n\n${en2}`],
    [para('Ngắn.') + para('Rất ngắn.'), para('Short.') + para('Very short indeed, this one.')],
  ],
  wrong: [
    [para(vi1) + para(vi2) + para(vi3), para(en1) + para(en3), /3 paragraphs, the translation 2/],
    [para(vi1) + para(vi2), para(en1) + para(en2) + para('An extra paragraph the source does not have.'), /the translation has 3 paragraphs/, 'warning'],
    [para(vi1) + para(vi2), para(en1) + para('The conference noted things.'), /paragraph 2 is much shorter/, 'warning'],
    [para(vi1) + para(vi2), para(en1 + ' ' + en1 + ' ' + en1) + para(en2), /paragraph 1 is much longer/, 'warning'],
    [para(vi1), '', /empty/],
  ],
});

describe('all checks on whole sample stories', () => {
  const xml = readFileSync(new URL('../config/samples/tin-doi-ngoai.xml', import.meta.url), 'utf8');
  const glossary = parseGlossaryTsv(readFileSync(new URL('../config/glossaries/vi-en.tsv', import.meta.url), 'utf8'));
  const bodyOf = (guid: string) => new RegExp(`<guid[^>]*>${guid}</guid>[\\s\\S]*?<content:encoded><!\\[CDATA\\[([\\s\\S]*?)\\]\\]>`).exec(xml)![1]!;
  // careful human translations of the stories' bodies
  const good = (guid: string) => readFileSync(new URL(`./fixtures/qa/${guid}.en.html`, import.meta.url), 'utf8');
  const run = (guid: string, target: string) => runChecks({ source: bodyOf(guid), target, sourceLang: 'vi', targetLang: 'en-GB', glossary });
  const errorsOf = (guid: string, target: string) => run(guid, target).filter((i) => i.severity === 'error').map((i) => i.check).sort();

  for (const guid of ['tgvn-2026-1101', 'tgvn-2026-1102', 'tgvn-2026-1103', 'tgvn-2026-1104']) {
    it(`finds nothing wrong with a correct translation of ${guid}`, () => {
      expect(bodyOf(guid).match(/<p>/g)!.length).to.equal(good(guid).match(/<p>/g)!.length);
      expect(run(guid, good(guid)).map((i) => `${i.check} ${i.severity}: ${i.message}`)).to.deep.equal([]);
    });
  }
  it('finds a wrong number, a swapped date and a missing link in the same text', () => {
    const bad = good('tgvn-2026-1102').replace('1,234.5 million', '1,243.5 million').replace('5 November 2026', '11 May 2026').replace(/<a href="[^"]*">([^<]*)<\/a>/, '$1');
    expect(errorsOf('tgvn-2026-1102', bad)).to.deep.equal(['dates', 'markup', 'numbers']);
  });
  it('finds a wrong time, a dropped name and a dropped paragraph', () => {
    const bad = good('tgvn-2026-1103').replace('3:20 p.m.', '2:20 p.m.').replace(/Nguyen Van An, Vice Chairman/, 'The Vice Chairman').replace(/Speaking at the meeting, Nguyen Van An/, 'Speaking at the meeting, he').replace(/<p>The representatives[\s\S]*?<\/p>\n/, '');
    expect(errorsOf('tgvn-2026-1103', bad)).to.deep.equal(['completeness', 'dates', 'names']);
  });
  it('finds a Roman numeral read wrongly, Vietnamese left in the text and a wrong glossary term', () => {
    const bad = good('tgvn-2026-1101').replace('the fifth provincial', 'the fourth provincial').replace('brocade weaving', 'thổ cẩm weaving').replace('the Ministry of Foreign Affairs;', 'the Foreign Office;');
    expect(errorsOf('tgvn-2026-1101', bad)).to.deep.equal(['glossary', 'numbers', 'untranslated']);
  });
  it('finds a month changed and a number in Vietnamese notation', () => {
    const bad = good('tgvn-2026-1104').replace('since October', 'since September').replace('1,245 cases', '1.245 cases');
    expect(errorsOf('tgvn-2026-1104', bad)).to.deep.equal(['dates', 'numbers']);
  });
});

describe('each block read on its own', () => {
  it('a title ending in a place does not run into the lead: no "Hà Nội Chiều"', () => {
    const source = '<h1>Thủ tướng tiếp Đại sứ tại Hà Nội</h1><p>Chiều 28/11, Thủ tướng tiếp Đại sứ Nhật Bản.</p>';
    const target = '<h1>Prime Minister receives Ambassador in Hanoi</h1><p>On the afternoon of 28 November, the Prime Minister received the Japanese Ambassador.</p>';
    expect(runChecks({ source, target, sourceLang: 'vi', targetLang: 'en' }).map((i) => i.message)).to.deep.equal([]);
  });
  it('a heading\'s last number does not join the next block\'s first', () => {
    // read across the boundary, "26 / Tháng 10" would be the date 26 October
    const source = '<h1>Triển khai Chỉ thị số 26</h1><p>Tháng 10/2026, tỉnh tổ chức hội nghị.</p>';
    const issues = runChecks({ source, target: '<h1>Implementing Directive No. 26</h1><p>In October 2026, the province held a conference.</p>', sourceLang: 'vi', targetLang: 'en' }, ['numbers', 'dates']);
    expect(issues).to.deep.equal([]);
  });
  it('an empty translation is one finding, not every number of the source', () => {
    const issues = runChecks({ source: '<p>Có 500 đại biểu từ 63 tỉnh, ngày 2/8.</p>', target: '', sourceLang: 'vi', targetLang: 'en' });
    expect(issues.map((i) => i.code)).to.deep.equal(['completeness.empty']);
  });
});
