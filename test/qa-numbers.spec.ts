/** The numbers check on Vietnamese/English and Vietnamese/French pairs (many from the sample stories). */
import { expect } from 'chai';
import { runChecks } from '../src/review/qa/index.ts';
import { pairSuite } from './support/qa-pairs.ts';

pairSuite('numbers', {
  correct: [
    ['Tham dự Hội nghị có gần 500 đại biểu; đại diện lãnh đạo 63 tỉnh, thành phố.', 'Nearly 500 delegates attended, including leaders of 63 provinces and cities.'],
    ['Hội nghị sơ kết 5 năm thực hiện Kết luận số 16 của Bộ Chính trị khóa XI.', 'A conference reviewing five years of implementing Conclusion No. 16 of the 11th-tenure Politburo.'],
    ['Hội nghị sơ kết 5 năm thực hiện Kết luận số 16 của Bộ Chính trị khóa XI.', 'A conference reviewing 5 years of implementing Conclusion 16 of the Politburo of the XI tenure.'],
    ['Chỉ thị số 26 của Ban Bí thư khóa X.', 'Directive No. 26 of the Secretariat of the 10th tenure.'],
    ['Chiến lược phát triển thông tin đối ngoại giai đoạn 2011- 2020.', 'The strategy for external information development for 2011-2020.'],
    ['Trong 10 tháng đầu năm 2026, các cơ quan đại diện đã xử lý 1.245 vụ việc, hỗ trợ hơn 3.600 lượt công dân, tăng 12,5% so với cùng kỳ năm 2025.', 'In the first ten months of 2026, overseas missions handled 1,245 cases and assisted more than 3,600 citizens, up 12.5% year on year from 2025.'],
    ['Trong 10 tháng đầu năm 2026, các cơ quan đại diện đã xử lý 1.245 vụ việc.', 'In the first 10 months of 2026, the missions handled 1,245 cases.'],
    ['Bộ Ngoại giao duy trì đường dây nóng 24/7.', 'The Ministry keeps a 24/7 hotline.'],
    ['Hỗ trợ thủ tục hồi hương cho 186 công dân.', 'They helped 186 citizens return home.'],
    ['Đại diện 18 doanh nghiệp Hàn Quốc.', 'Representatives of 18 Korean businesses.'],
    ['Tỉnh có 4 khu công nghiệp với tổng diện tích 1.250,8 ha, tỷ lệ lấp đầy bình quân đạt 62,4%.', 'The province has four industrial parks covering 1,250.8 ha in total, with an average occupancy rate of 62.4 per cent.'],
    ['Toàn tỉnh có 57 dự án, tổng vốn đăng ký khoảng 1.234,5 triệu USD.', 'The province has 57 projects with total registered capital of about 1,234.5 million USD.'],
    ['Toàn tỉnh có 57 dự án, tổng vốn đăng ký khoảng 1.234,5 triệu USD.', 'The province has 57 projects with total registered capital of about US$1.2345 billion.'],
    ['Nghị quyết số 59-NQ/TW của Bộ Chính trị.', 'Resolution No. 59-NQ/TW of the Politburo.'],
    ['Vùng trồng dược liệu rộng 320 ha.', 'A 320-hectare medicinal herb growing area.'],
    ['GRDP 10 tháng ước tăng 8,12% so với cùng kỳ.', 'GRDP in the ten months is estimated to have grown by 8.12% year on year.'],
    ['Tổng thu ngân sách đạt 6.850,3 tỷ đồng, bằng 91,3% dự toán.', 'Total budget revenue reached VND6,850.3 billion, 91.3% of the estimate.'],
    ['Giải ngân vốn đầu tư công đạt 4.120,7 tỷ đồng, bằng 68,5% kế hoạch.', 'Public investment disbursement reached 4,120.7 billion VND, or 68.5 percent of the plan.'],
    ['Ngành du lịch đón khoảng 2,1 triệu lượt khách, trong đó có 185.000 lượt khách quốc tế, doanh thu đạt 3.275 tỷ đồng.', 'The tourism sector welcomed about 2.1 million visitors, including 185,000 international visitors, with revenue of VND3,275 billion.'],
    ['Phấn đấu giải ngân trên 95% kế hoạch.', 'It aims to disburse over 95% of the plan.'],
    ['Ngày hội Văn hóa cồng chiêng tỉnh lần thứ V năm 2026.', 'The fifth provincial Gong Culture Festival 2026.'],
    ['Ngày hội Văn hóa cồng chiêng tỉnh lần thứ V năm 2026.', 'The 5th provincial Gong Culture Festival in 2026.'],
    ['Đoàn 35 thành viên là đại diện các cơ quan ngoại giao.', 'A delegation of 35 members representing diplomatic missions.'],
    ['Ngày hội quy tụ hơn 1.200 nghệ nhân đến từ 24 đội cồng chiêng.', 'The festival brings together more than 1,200 artisans from 24 gong troupes.'],
    ['Sau hơn 20 năm, tỉnh đã mở 86 lớp truyền dạy đánh chiêng.', 'After more than 20 years, the province has held 86 gong classes.'],
    ['Các hoạt động được đưa tin bằng 6 thứ tiếng.', 'The events were reported in six languages.'],
    ['Dự án có tổng vốn 2,5 tỷ USD.', 'The project has total capital of 2.5 billion USD.'],
    ['Trong 5 năm qua, tỉnh thu hút 1 tỷ 200 triệu USD vốn FDI.', 'Over the past five years, the province attracted 1.2 billion USD in FDI.'],
    ['Hơn 300 nghìn người tham dự.', 'More than 300,000 people attended.'],
    ['Hơn 300 ngàn người tham dự.', 'More than 300 thousand people attended.'],
    ['Hai triệu người được tiêm chủng.', 'Two million people were vaccinated.'],
    ['Lần thứ 3 hội nghị được tổ chức tại Đà Nẵng.', 'The conference was held in Da Nang for the third time.'],
    ['Đại hội XIII của Đảng diễn ra năm 2021.', 'The 13th National Party Congress took place in 2021.'],
    ['Quý I năm 2026, xuất khẩu tăng 15%.', 'In the first quarter of 2026, exports rose 15%.'],
    ['Quý I năm 2026, xuất khẩu tăng 15%.', 'In Q1 2026 exports rose by 15 per cent.'],
    ['Tăng 3 lần so với năm 2020.', 'Three times as many as in 2020.'],
    ['Tỷ lệ hộ nghèo giảm còn 1,93%.', 'The poverty rate fell to 1.93%.'],
    ['Có 1.000 đại biểu.', 'There were a thousand delegates.'],
    ['Cách mạng công nghiệp 4.0.', 'The Fourth Industrial Revolution (Industry 4.0).'],
    ['Hội nghị lần thứ 8 Ban Chấp hành Trung ương Đảng khóa XIII.', 'The 8th plenum of the 13th Party Central Committee.'],
    ['Tăng trưởng đạt 5-7%, lạm phát dưới 4%.', 'Growth reached 5-7% and inflation stayed below 4%.'],
    ['Hơn 2 triệu người đã được tiêm vắc-xin COVID-19.', 'More than two million people have been vaccinated against COVID-19.'],
    ['Tỷ lệ thất nghiệp giảm 0,5%.', 'The unemployment rate fell by 0.5 percentage points.'],
    ['Trong năm 2025, Việt Nam xuất khẩu 8 triệu tấn gạo, thu về 4,5 tỷ USD.', 'In 2025, Viet Nam exported 8 million tonnes of rice, earning 4.5 billion USD.'],
    ['Hai nước nhất trí nâng kim ngạch thương mại lên 10 tỷ USD vào năm 2030.', 'The two countries agreed to raise trade to 10 billion USD by 2030.'],
    ['Sự kiện thu hút khoảng 50.000 lượt khách.', 'The event attracted about 50,000 visitors.'],
    ['Sự kiện thu hút khoảng 50.000 lượt khách.', 'The event drew some fifty thousand visitors.'],
    ['Hôm qua (26/11), Thủ tướng tiếp Đại sứ.', 'Yesterday (26 November), the Prime Minister received the Ambassador.'],
  ],
  wrong: [
    ['Tham dự Hội nghị có gần 500 đại biểu.', 'Nearly 50 delegates attended.', /500.*not in the translation/],
    ['Tỉnh có 63 tỉnh, thành phố.', 'There are 36 provinces and cities.', /63/],
    ['Hội nghị sơ kết 5 năm thực hiện Kết luận số 16.', 'A conference reviewing six years of implementing Conclusion No. 16.', /\b5\b/],
    ['Bộ Chính trị khóa XI.', 'The Politburo of the 12th tenure.', /XI \(11\)/],
    ['Đại hội XIII của Đảng.', 'The 12th National Party Congress.', /XIII/],
    ['Các cơ quan đã xử lý 1.245 vụ việc.', 'The missions handled 1.245 cases.', /Vietnamese separators/],
    ['Các cơ quan đã xử lý 1.245 vụ việc.', 'The missions handled 1,254 cases.', /1\.245/],
    ['Tăng 12,5% so với cùng kỳ.', 'Up 12,5% year on year.', /Vietnamese separators/],
    ['Tăng 12,5% so với cùng kỳ.', 'Up 125% year on year.', /12,5%/],
    ['Tổng vốn đăng ký khoảng 1.234,5 triệu USD.', 'Total registered capital of about 1.234,5 million USD.', /Vietnamese separators/],
    ['Tổng vốn đăng ký khoảng 1.234,5 triệu USD.', 'Total registered capital of about 1,234.5 billion USD.', /1\.234,5 triệu/],
    ['Dự án có tổng vốn 2,5 tỷ USD.', 'The project has total capital of 2.5 million USD.', /2,5 tỷ/],
    ['Dự án có tổng vốn 2,5 tỷ USD.', 'The project has total capital of 25 billion USD.', /2,5 tỷ/],
    ['Ngành du lịch đón khoảng 2,1 triệu lượt khách.', 'The tourism sector welcomed about 2.1 thousand visitors.', /2,1 triệu/],
    ['Có 185.000 lượt khách quốc tế.', 'There were 18,500 international visitors.', /185\.000/],
    ['Hỗ trợ cho 186 công dân.', 'They helped 168 citizens.', /186/],
    ['Tỷ lệ lấp đầy đạt 62,4%.', 'The occupancy rate is 64.2%.', /62,4%/],
    ['Các hoạt động được đưa tin bằng 6 thứ tiếng.', 'The events were reported in seven languages.', /\b6\b/],
    ['Ngày hội lần thứ V.', 'The fourth festival.', /\bV\b/],
    ['Hơn 300 nghìn người tham dự.', 'More than 30,000 people attended.', /300 nghìn/],
    ['Hơn 300 nghìn người tham dự.', 'More than 300 people attended.', /300 nghìn/],
    ['Giải ngân đạt 68,5% kế hoạch.', 'Disbursement reached 68.5% of the plan, or 4,120 billion dong.', /4,120.*not in the source/, 'warning'],
    ['Tổng thu ngân sách đạt 6.850,3 tỷ đồng.', 'Total budget revenue reached VND6.85 trillion.', /rounded/, 'warning'],
    ['Nâng kim ngạch thương mại lên 10 tỷ USD vào năm 2030.', 'Raise trade to 10 billion USD by 2031.', /the source's 2030 is not in the translation/],
    ['Hơn 2 triệu người đã được tiêm vắc-xin.', 'More than two thousand people have been vaccinated.', /2 triệu/],
    ['Tỷ lệ thất nghiệp giảm 0,5%.', 'The unemployment rate fell by 5%.', /0,5%/],
    ['Việt Nam xuất khẩu 8 triệu tấn gạo.', 'Viet Nam exported 8 billion tonnes of rice.', /8 triệu/],
  ],
});

pairSuite('numbers', {
  lang: 'fr',
  correct: [
    ['Tham dự Hội nghị có gần 500 đại biểu; đại diện lãnh đạo 63 tỉnh, thành phố.', 'Près de 500 délégués y ont participé, dont des dirigeants de 63 provinces et villes.'],
    ['Các cơ quan đã xử lý 1.245 vụ việc, tăng 12,5%.', 'Les représentations ont traité 1 245 affaires, soit une hausse de 12,5 %.'],
    ['Tổng vốn đăng ký khoảng 1.234,5 triệu USD.', "Le capital enregistré s'élève à environ 1 234,5 millions de dollars."],
    ['Dự án có tổng vốn 2,5 tỷ USD.', 'Le projet représente 2,5 milliards de dollars.'],
    ['Hai triệu người được tiêm chủng.', 'Deux millions de personnes ont été vaccinées.'],
    ['Hội nghị sơ kết 5 năm thực hiện Kết luận số 16 của Bộ Chính trị khóa XI.', "Une conférence dressant le bilan de cinq ans d'application de la Conclusion n° 16 du Bureau politique de la XIe législature."],
    ['Sau hơn 20 năm, tỉnh đã mở 86 lớp.', 'Après plus de vingt ans, la province a ouvert quatre-vingt-six classes.'],
    ['Ngày hội lần thứ V.', 'La cinquième édition du festival.'],
    ['Có 185.000 lượt khách quốc tế.', 'On compte 185 000 visiteurs internationaux.'],
  ],
  wrong: [
    ['Dự án có tổng vốn 2,5 tỷ USD.', 'Le projet représente 2,5 billions de dollars.', /2,5 tỷ/],
    ['Các cơ quan đã xử lý 1.245 vụ việc, tăng 12,5%.', 'Les représentations ont traité 1 245 affaires, soit une hausse de 1,25 %.', /12,5%/],
    ['Tăng 12,5% so với cùng kỳ.', 'Une hausse de 12.5 % sur un an.', /12,5%/],
    ['Sau hơn 20 năm, tỉnh đã mở 86 lớp.', 'Après plus de vingt ans, la province a ouvert quatre-vingts classes.', /86/],
  ],
});

describe('numbers: spans point at the mistake', () => {
  it('gives the source and target stretches of a number left in Vietnamese notation', () => {
    const [issue] = runChecks({ source: 'Các cơ quan đã xử lý 1.245 vụ việc.', target: 'The missions handled 1.245 cases.', sourceLang: 'vi', targetLang: 'en-GB' }, ['numbers']);
    expect(issue!.source).to.deep.equal({ start: 21, end: 26, text: '1.245' });
    expect(issue!.target).to.deep.equal({ start: 21, end: 26, text: '1.245' });
  });
  it('reads HTML: a number inside a link or bold still counts', () => {
    const issues = runChecks({ source: '<p>Đạt <strong>1.234,5</strong> triệu USD.</p>', target: '<p>It reached <strong>1,234.5</strong> million USD.</p>', sourceLang: 'vi', targetLang: 'en' }, ['numbers']);
    expect(issues).to.deep.equal([]);
  });
});

describe('numbers: "6 tháng đầu năm" is a half-year', () => {
  const source = 'Trong 6 tháng đầu năm, tỉnh xuất khẩu 120 nghìn tấn gạo.';
  const blocking = (target: string, lang: string) => runChecks({ source, target, sourceLang: 'vi', targetLang: lang }, ['numbers']).filter((i) => i.severity === 'error');
  it('accepts the half-year words of each language for the six months', () => {
    for (const [lang, target] of [
      ['en', 'In the first half of the year, the province exported 120,000 tonnes of rice.'],
      ['fr', 'Au premier semestre, la province a exporté 120 000 tonnes de riz.'],
      ['es', 'En el primer semestre, la provincia exportó 120.000 toneladas de arroz.'],
      ['ru', 'В первом полугодии провинция экспортировала 120 тыс. тонн риса.'],
      ['zh', '上半年，该省出口大米12万吨。'],
      ['ja', '上半期、同省はコメ12万トンを輸出した。'],
      ['ko', '상반기 동안 이 성은 쌀 12만 톤을 수출했다.'],
    ]) expect(blocking(target!, lang!), lang).to.deep.equal([]);
  });
  it('still blocks another period, and a six that is not of months', () => {
    expect(blocking('前9个月，该省出口大米12万吨。', 'zh').map((i) => i.code)).to.deep.equal(['numbers.missing']);
    expect(blocking('In the first quarter, the province exported 120,000 tonnes of rice.', 'en').map((i) => i.code)).to.deep.equal(['numbers.missing']);
    expect(runChecks({ source: 'Có 6 tỉnh tham gia trong nửa đầu năm.', target: 'Provinces took part in the first half of the year.', sourceLang: 'vi', targetLang: 'en' }, ['numbers']).map((i) => i.code)).to.deep.equal(['numbers.missing']);
  });
});
