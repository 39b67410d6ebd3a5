import { expect } from 'chai';
import { foldForMatching, WatchMatcher } from './watch-match.ts';

const quangNam = { id: 1, forms: [{ language: 'vi', text: 'Quảng Nam' }, { language: 'en', text: 'Quang Nam' }, { language: 'zh', text: '广南' }] };
const ministry = { id: 2, forms: [{ language: 'vi', text: 'Bộ Ngoại giao' }, { language: 'en', text: 'Foreign Ministry' }, { language: 'ru', text: 'МИД Вьетнама' }, { language: 'ko', text: '외교부' }] };
const nam = { id: 3, forms: [{ language: 'en', text: 'Nam' }] };

describe('watch terms: matching', () => {
  const matcher = new WatchMatcher([quangNam, ministry, nam]);
  const ids = (...texts: string[]) => matcher.match(...texts).map((h) => h.termId);

  it('finds a Vietnamese term by its English and its Chinese form', () => {
    expect(ids('Posts claimed a dam in Quang Nam province had collapsed.')).to.include(1);
    expect(matcher.match('网传越南广南省一座大坝溃坝')[0]).to.deep.equal({ termId: 1, form: '广南', language: 'zh' });
    expect(ids('Tỉnh Quảng Nam cho biết')).to.include(1);
  });

  it('folds case, diacritics, full-width letters and punctuation alike on both sides', () => {
    expect(foldForMatching('ĐÀ NẴNG, Hà-Nội')).to.equal('da nang ha noi');
    expect(ids('QUANG  NAM')).to.include(1);
    expect(ids('quang-nam')).to.include(1);
    expect(ids('ＦＯＲＥＩＧＮ ＭＩＮＩＳＴＲＹ')).to.deep.equal([2]);
    expect(ids('в заявлении МИД Вьетнама')).to.deep.equal([2]);
  });

  it('matches whole words in spaced scripts, anywhere in Chinese, at a word start in Korean', () => {
    expect(ids('Vietnamese officials'), '"Nam" is not found inside "Vietnamese"').to.deep.equal([]);
    expect(ids('Namibia')).to.deep.equal([]);
    expect(ids('the Nam river')).to.deep.equal([3]);
    expect(ids('베트남 외교부는')).to.deep.equal([2]);
    expect(ids('외교부에서')).to.deep.equal([2]);
    expect(ids('비외교부')).to.deep.equal([]);
  });

  it('names each term once, with the first form found, across several texts', () => {
    const hits = matcher.match('Foreign Ministry spokesperson', '[VI] Bộ Ngoại giao nói', '广南 广南');
    expect(hits).to.deep.equal([{ termId: 2, form: 'Foreign Ministry', language: 'en' }, { termId: 1, form: '广南', language: 'zh' }]);
    // forms that fold alike are one form: the first written
    expect(matcher.match('Quang Nam')[0]).to.deep.equal({ termId: 1, form: 'Quảng Nam', language: 'vi' });
  });

  it('finds overlapping and nested forms through the failure links', () => {
    const m = new WatchMatcher([{ id: 1, forms: [{ language: 'en', text: 'sea' }] }, { id: 2, forms: [{ language: 'en', text: 'east sea' }] }, { id: 3, forms: [{ language: 'zh', text: '南海' }] }, { id: 4, forms: [{ language: 'zh', text: '海' }] }]);
    expect(m.match('the East Sea').map((h) => h.termId).sort()).to.deep.equal([1, 2]);
    expect(m.match('南海').map((h) => h.termId).sort()).to.deep.equal([3, 4]);
    expect(new WatchMatcher([]).match('anything')).to.deep.equal([]);
  });
});
