/**
 * Names in targets written in Cyrillic, Han, kana and Hangul: the glossary's names are required in
 * each language's word shapes (Korean particles, Russian case endings); Cyrillic is checked by the
 * Russian transliteration; otherwise a name not found is a warning, never a blocking error.
 */
import { expect } from 'chai';
import { runChecks } from '../src/review/qa/index.ts';
import { cyrillicName } from '../src/review/qa/lang/cyrillic.ts';
import { sampleGlossary } from './support/accuracy-set.ts';
import { pairSuite } from './support/qa-pairs.ts';

const phuc = 'Nguyên Chủ tịch nước Nguyễn Xuân Phúc dự lễ khánh thành cầu tại tỉnh Quảng Ninh.';
const run = (target: string, lang: string, glossary = sampleGlossary(lang)) => runChecks({ source: phuc, target, sourceLang: 'vi', targetLang: lang, glossary }, ['names', 'glossary']);

describe('names in Cyrillic: the Russian practice for Vietnamese names', () => {
  it('transliterates as the Russian press writes', () => {
    expect(['Nguyễn Xuân Phúc', 'Phạm Minh Chính', 'Trần Thanh Mẫn', 'Võ Văn Thưởng', 'Lương Cường', 'Tô Lâm', 'Võ Nguyên Giáp', 'Hồ Chí Minh'].map(cyrillicName))
      .to.deep.equal(['Нгуен Суан Фук', 'Фам Минь Тьинь', 'Чан Тхань Ман', 'Во Ван Тхыонг', 'Лыонг Кыонг', 'То Лам', 'Во Нгуен Зяп', 'Хо Ши Мин']);
  });
  it('finds the name without a glossary, also declined at the end', () => {
    expect(run('Бывший президент Нгуен Суан Фук принял участие в церемонии в провинции Куангнинь.', 'ru', [])).to.deep.equal([]);
    expect(run('Церемония прошла при участии Нгуен Суан Фука в Куангнине.', 'ru', [])).to.deep.equal([]);
  });
  it('a name in a spelling of its own is a warning that gives the expected form', () => {
    const issues = run('Бывший президент Нгуен Сюан Фук принял участие в церемонии.', 'ru', []);
    expect(issues.map((i) => [i.severity, i.code])).to.deep.equal([['warning', 'names.missingCyrillic']]);
    expect(issues[0]!.message).to.contain('Нгуен Суан Фук');
  });
  it('a name left out altogether (no part of it in any form) blocks', () => {
    const issues = run('Бывший президент принял участие в церемонии.', 'ru', []);
    expect(issues.map((i) => [i.severity, i.code])).to.deep.equal([['error', 'names.absentCyrillic']]);
    expect(issues[0]!.message).to.contain('Нгуен Суан Фук');
    // a part of it in Latin letters is a trace: a warning, not a block
    expect(run('Бывший президент Nguyen принял участие в церемонии.', 'ru', []).map((i) => i.severity)).to.deep.equal(['warning']);
  });
});

describe('names in Han, kana and Hangul without the glossary', () => {
  for (const [lang, target] of [['zh', '前国家主席阮春福出席了在广宁省举行的落成典礼。'], ['ja', 'グエン・スアン・フック前国家主席は開通式に出席した。'], ['ko', '응우옌 쑤언 푹 전 국가주석은 개통식에 참석했다.']] as const) {
    it(`${lang}: cannot be known, so it is a warning and never blocks`, () => {
      const issues = run(target, lang, []);
      expect(issues.map((i) => [i.severity, i.code])).to.deep.equal([['warning', 'names.missingScript']]);
    });
  }
});

// with the sample glossary's names (config/glossaries/vi-<lang>.tsv) a name's form is known and required
for (const [lang, correct, wrong] of [
  ['zh', '前国家主席阮春福出席了在广宁省举行的一座新桥落成典礼。', '前国家主席出席了在广宁省举行的一座新桥落成典礼。'],
  ['ja', 'グエン・スアン・フック前国家主席は、クアンニン省で新しい橋の開通式に出席した。', '前国家主席は、クアンニン省で新しい橋の開通式に出席した。'],
  ['ko', '응우옌 쑤언 푹 전 국가주석은 꽝닌성에서 열린 새 교량 개통식에 참석했다.', '전 국가주석은 꽝닌성에서 열린 새 교량 개통식에 참석했다.'],
  ['ko', '응우옌쑤언푹 전 국가주석은 꽝닌성에서 열린 새 교량 개통식에 참석했다.', '응우옌쑤언푹 전 국가주석은 열린 새 교량 개통식에 참석했다.'],
  ['ru', 'Бывший президент Нгуен Суан Фук принял участие в церемонии открытия моста в провинции Куангнинь.', 'Бывший президент Нгуен Суан Фук принял участие в церемонии открытия моста.'],
] as const) {
  pairSuite('glossary', { lang, glossary: sampleGlossary(lang), correct: [[phuc, correct]], wrong: [[phuc, wrong, /must be translated as/]] });
}

pairSuite('glossary', {
  lang: 'ru', glossary: sampleGlossary('ru'),
  correct: [
    ['Thủ tướng tiếp Đại sứ tại Hà Nội.', 'Премьер-министр принял посла в Ханое.'],
    ['Hội chợ diễn ra tại Đà Nẵng.', 'Ярмарка прошла в Дананге.'],
    ['Lễ kỷ niệm tại TP Hồ Chí Minh.', 'Торжества в Хошимине.'],
  ],
  wrong: [['Thủ tướng tiếp Đại sứ tại Hà Nội.', 'Премьер-министр принял посла в Хайфоне.', /Hà Nội/]],
});

describe('glossary names stand as their adjective too', () => {
  const source = 'Tuần lễ Văn hóa Việt Nam diễn ra tại Tokyo.';
  const glossary = (lang: string) => sampleGlossary(lang);
  const codes = (target: string, lang: string, terms = glossary(lang)) => runChecks({ source, target, sourceLang: 'vi', targetLang: lang, glossary: terms }, ['glossary']).map((i) => i.code);
  it('accepts "Vietnamese", "vietnamienne", "vietnamita", "вьетнамская" for Việt Nam', () => {
    expect(codes('Vietnamese Culture Week takes place in Tokyo.', 'en')).to.deep.equal([]);
    expect(codes('La Semaine de la culture vietnamienne se tient à Tokyo.', 'fr')).to.deep.equal([]);
    const vietNam = [{ source: 'Việt Nam', target: 'Viet Nam', variants: ['Vietnam'] }];
    expect(codes('La Semana de la Cultura vietnamita se celebra en Tokio.', 'es', vietNam)).to.deep.equal([]);
    expect(codes('В Токио проходит Неделя вьетнамской культуры.', 'ru', [{ source: 'Việt Nam', target: 'Вьетнам' }])).to.deep.equal([]);
  });
  it('still requires the name when neither it nor its adjective is there, and never derives from a common word', () => {
    expect(codes('Japanese Culture Week takes place in Tokyo.', 'en')).to.have.length(1);
    expect(codes('La Semaine de la culture se tient à Tokyo.', 'fr')).to.have.length(1);
    const politburo = [{ source: 'Văn hóa', target: 'culture' }];
    expect(runChecks({ source, target: 'Culturean week in Tokyo.', sourceLang: 'vi', targetLang: 'en', glossary: politburo }, ['glossary'])).to.have.length(1);
  });
});
