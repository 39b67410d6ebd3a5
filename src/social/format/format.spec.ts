import { expect } from 'chai';
import type { PostContent } from './content.ts';
import { graphemeLength, segmentedLength, trimToFit } from './count.ts';
import { blueskyLength, formatBluesky } from './bluesky.ts';
import { formatMastodon, mastodonLength } from './mastodon.ts';
import { escapeHtml, formatTelegram } from './telegram.ts';
import { formatX, xLength } from './x.ts';
import { formatFacebook, formatWebhook } from './plain.ts';

const url = 'https://news.example.org/read/en/42';

function content(over: Partial<PostContent> = {}): PostContent {
  return {
    language: 'en', title: 'Viet Nam and Laos sign a trade deal', summary: 'The two governments agreed on tariffs.', url,
    hashtags: ['VietNam', 'Laos'],
    strings: { readMore: `Read the full story: ${url}`, readMoreLabel: 'Read the full story' },
    ...over,
  };
}

// 20 Vietnamese words with precomposed letters from U+1EA0–U+1EF9
const vietnamese = 'Thủ tướng chủ trì hội nghị về phát triển kinh tế số và chuyển đổi xanh tại Hà Nội ngày hôm nay với nhiều bộ ngành tham dự';
const chinese = '越南与老挝签署贸易协定，两国政府就关税问题达成一致，双方将进一步扩大投资合作并加强基础设施互联互通建设。';
const japanese = 'ベトナムとラオスが貿易協定に署名し、両国政府は関税について合意した。今後は投資協力をさらに拡大する。';

describe('counting like the networks', () => {
  it('counts a decomposed Vietnamese letter and a family emoji as one grapheme each', () => {
    expect(graphemeLength('e\u0323\u0302')).to.equal(1); // ệ in NFD
    expect(graphemeLength('👨‍👩‍👧')).to.equal(1);
    expect(graphemeLength('Việt Nam')).to.equal(8);
  });

  it('counts the common scripts by length only where that equals the grapheme count', () => {
    for (const sample of [vietnamese, vietnamese.normalize('NFD'), chinese, japanese, 'Лаос и Вьетнам', 'Ελλάδα', '한국어 문장', 'ພາສາລາວ', 'a\r\nb', 'かか\u3099', '🇻🇳 và 👍🏽', 'Ж\u0483', '\u1100\u1161\u11A8']) {
      expect(graphemeLength(sample), sample).to.equal(segmentedLength(sample));
    }
  });

  it('Mastodon: any URL weighs 23, text counts in graphemes', () => {
    expect(mastodonLength(`Tin ${url}`)).to.equal(4 + 23);
    expect(mastodonLength(`Tin https://example.org/${'a'.repeat(200)}`)).to.equal(27);
    expect(mastodonLength('Hà Nội 🇻🇳')).to.equal(8);
  });

  it('X: Vietnamese precomposed letters, CJK and emoji weigh 2, a URL 23', () => {
    expect(xLength('ệ')).to.equal(2);
    expect(xLength('e')).to.equal(1);
    expect(xLength('Việt Nam')).to.equal(9); // only ệ is in U+1EA0–U+1EF9
    expect(xLength('越南')).to.equal(4);
    expect(xLength('ベトナム')).to.equal(8);
    expect(xLength('😀')).to.equal(2);
    expect(xLength(url)).to.equal(23);
  });

  it('Bluesky: graphemes, not code units or bytes', () => {
    expect(blueskyLength('越南 😀 Việt')).to.equal(9);
  });
});

describe('trimming at a word boundary', () => {
  it('cuts between words and adds an ellipsis', () => {
    const out = trimToFit('one two three four', 'en', (s) => s.length <= 10);
    expect(out).to.equal('one two…');
  });

  it('finds word boundaries in Chinese and Japanese, which have no spaces', () => {
    const zh = trimToFit(chinese, 'zh', (s) => graphemeLength(s) <= 12);
    expect(graphemeLength(zh)).to.be.at.most(12).and.at.least(6);
    expect(zh.endsWith('…')).to.equal(true);
    expect(chinese.startsWith(zh.slice(0, -1))).to.equal(true);
    const ja = trimToFit(japanese, 'ja', (s) => graphemeLength(s) <= 10);
    expect(graphemeLength(ja)).to.be.at.most(10).and.at.least(4);
  });

  it('never splits a Vietnamese word or a combining sequence', () => {
    const nfd = vietnamese.normalize('NFD');
    const out = trimToFit(nfd, 'vi', (s) => graphemeLength(s) <= 30);
    const kept = out.slice(0, -1);
    expect(nfd.startsWith(kept)).to.equal(true);
    expect(nfd[kept.length], 'the cut falls before a space').to.equal(' ');
  });
});

describe('post formats', () => {
  it('Mastodon: title, summary, link sentence and hashtags within 500', () => {
    const p = formatMastodon(content());
    expect(p.text).to.equal(`Viet Nam and Laos sign a trade deal\n\nThe two governments agreed on tariffs.\n\nRead the full story: ${url}\n\n#VietNam #Laos`);
    expect(p.length).to.equal(mastodonLength(p.text));
    expect(p.limit).to.equal(500);
  });

  it('Mastodon: an instance\'s own limit is filled instead of 500', () => {
    const p = formatMastodon(content({ language: 'vi', summary: `${vietnamese} `.repeat(20) }), 1000);
    expect(p.limit).to.equal(1000);
    expect(p.length).to.be.at.most(1000).and.above(950);
  });

  it('Mastodon: a long Vietnamese summary is trimmed to exactly fit, the link kept whole', () => {
    const p = formatMastodon(content({ language: 'vi', summary: `${vietnamese} `.repeat(10) }));
    expect(p.length).to.be.at.most(500).and.above(450);
    expect(p.text).to.contain(url);
    expect(p.text).to.contain('…');
  });

  it('X: a Vietnamese post is trimmed by weight (precomposed letters count double)', () => {
    const p = formatX(content({ language: 'vi', title: 'Hội nghị', summary: `${vietnamese} `.repeat(3) }));
    expect(p.length).to.be.at.most(280).and.above(250);
    expect(graphemeLength(p.text), 'fewer graphemes than the weighted length').to.be.below(p.length);
    expect(p.text).to.contain(url);
  });

  it('X: a Chinese post fits in 280 weighted characters (~half as many characters)', () => {
    const p = formatX(content({ language: 'zh', title: '越南与老挝签署贸易协定', summary: chinese.repeat(3) }));
    expect(p.length).to.be.at.most(280);
    expect(p.text).to.contain('越南与老挝签署贸易协定');
  });

  it('drops the hashtags, then trims the title, when even the bare title is too long', () => {
    const p = formatX(content({ title: 'word '.repeat(80).trim(), summary: 'x' }));
    expect(p.text).not.to.contain('#VietNam');
    expect(p.length).to.be.at.most(280);
    expect(p.text).to.contain(url);
  });

  it('Bluesky: ≤ 300 graphemes, facets at UTF-8 byte offsets, and a link card', () => {
    const c = content({ language: 'vi', title: 'Việt Nam – Lào ký hiệp định 🤝', summary: `${vietnamese} `.repeat(4), hashtags: ['ViệtNam'] });
    const p = formatBluesky(c);
    expect(p.length).to.be.at.most(300);
    const bytes = Buffer.from(p.text, 'utf8');
    const link = p.facets.find((f) => f.features.some((x) => x.$type === 'app.bsky.richtext.facet#link'))!;
    expect(bytes.subarray(link.index.byteStart, link.index.byteEnd).toString()).to.equal(url);
    const tag = p.facets.find((f) => f.features.some((x) => x.$type === 'app.bsky.richtext.facet#tag'))!;
    expect(bytes.subarray(tag.index.byteStart, tag.index.byteEnd).toString()).to.equal('#ViệtNam');
    expect(p.card).to.include({ uri: url, title: c.title });
  });

  it('Telegram: escaped HTML, bold title, link label; caption ≤ 1,024 and message ≤ 4,096 visible characters', () => {
    const c = content({ title: 'Tariffs <5%> & "quotas"', summary: 'a < b & c > d '.repeat(200) });
    const caption = formatTelegram(c, { caption: true });
    expect(caption.text.startsWith('<b>Tariffs &lt;5%&gt; &amp; &quot;quotas&quot;</b>')).to.equal(true);
    expect(caption.text).to.contain(`<a href="${url}">Read the full story</a>`);
    expect(caption.length).to.be.at.most(1024).and.above(900);
    expect(caption.visibleText).not.to.contain('<b>');
    const message = formatTelegram(c, { caption: false });
    expect(message.limit).to.equal(4096);
    expect(message.length).to.be.above(1024).and.at.most(4096);
    expect(escapeHtml('<a href="x">')).to.equal('&lt;a href=&quot;x&quot;&gt;');
  });

  it('Facebook leaves the link to its own field; a webhook gets the whole text', () => {
    expect(formatFacebook(content()).text).not.to.contain(url);
    expect(formatWebhook(content({ summary: 'long '.repeat(2000) })).text).to.contain(url);
    expect(formatWebhook(content()).limit).to.equal(null);
  });
});
