/** Every check on Vietnamese/French pairs, with the vi-fr glossary. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runChecks } from '../src/review/qa/index.ts';
import { parseGlossaryTsv } from '../src/store/glossary.ts';
import { pairSuite } from './support/qa-pairs.ts';

const glossary = parseGlossaryTsv(readFileSync(new URL('../config/glossaries/vi-fr.tsv', import.meta.url), 'utf8'));

pairSuite('glossary', {
  lang: 'fr', glossary,
  correct: [
    ['Bộ Chính trị khóa XI đã ban hành Kết luận số 16.', 'Le Bureau politique de la XIe législature a publié la Conclusion n° 16.'],
    ['Quốc hội thông qua luật.', "L'Assemblée nationale a adopté la loi."],
    ['Ban Bí thư đã ban hành Chỉ thị số 26.', 'Le Secrétariat a publié la Directive n° 26.'],
  ],
  wrong: [
    ['Quốc hội thông qua luật.', 'Le Parlement a adopté la loi.', /Assemblée nationale/],
    ['Bộ Chính trị họp.', 'Le Politburo s’est réuni.', /Bureau politique/],
  ],
});

describe('all checks (fr): a correct French translation raises nothing', () => {
  const pairs: [string, string][] = [
    ['Ngày 2/8, tại Hà Nội, Ban Bí thư tổ chức Hội nghị sơ kết 5 năm thực hiện Kết luận số 16 của Bộ Chính trị khóa XI.', 'Le 2 août, à Hanoï, le Secrétariat a organisé une conférence dressant le bilan de cinq années d’application de la Conclusion n° 16 du Bureau politique de la XIe législature.'],
    ['Đồng chí Võ Văn Thưởng, Ủy viên Bộ Chính trị, phát biểu chỉ đạo tại Hội nghị.', 'Võ Văn Thưởng, membre du Bureau politique, a prononcé un discours d’orientation lors de la conférence.'],
    ['Khoảng 15h20 cùng ngày, đoàn đã đi khảo sát vùng trồng dược liệu rộng 320 ha.', 'Vers 15 h 20 le même jour, la délégation a visité une zone de plantes médicinales de 320 hectares.'],
    ['Tổng thu ngân sách đạt 6.850,3 tỷ đồng, bằng 91,3% dự toán.', 'Les recettes budgétaires ont atteint 6 850,3 milliards de dongs, soit 91,3 % des prévisions.'],
    ['Ngày hội diễn ra đến hết ngày 2/11; đêm bế mạc bắt đầu lúc 19h30.', 'Le festival se poursuit jusqu’au 2 novembre ; la soirée de clôture commence à 19h30.'],
    ['Trong 10 tháng đầu năm 2026, các cơ quan đại diện đã hỗ trợ hơn 3.600 lượt công dân.', 'Au cours des dix premiers mois de 2026, les représentations ont aidé plus de 3 600 citoyens.'],
  ];
  for (const [source, target] of pairs) {
    it(target, () => {
      expect(runChecks({ source, target, sourceLang: 'vi', targetLang: 'fr', glossary }).map((i) => `${i.check} ${i.severity}: ${i.message}`)).to.deep.equal([]);
    });
  }
  it('flags a wrong date, a wrong amount and Vietnamese left in the text', () => {
    const issues = runChecks({ source: 'Ngày 2/11, tỉnh thu 6.850,3 tỷ đồng từ du lịch cộng đồng.', target: 'Le 2 décembre, la province a perçu 6 850,3 millions de dongs grâce au du lịch cộng đồng.', sourceLang: 'vi', targetLang: 'fr', glossary });
    expect(issues.filter((i) => i.severity === 'error').map((i) => i.check).sort()).to.deep.equal(['dates', 'numbers', 'untranslated']);
  });
});
