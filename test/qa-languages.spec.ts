/**
 * Numbers, dates and times in each audience's own forms: Chinese, Japanese, Korean, Russian (and
 * Spanish, French, Lao where their forms were missing). Correct → no issue from the check; one
 * changed fact → an error naming it.
 */
import { pairSuite } from './support/qa-pairs.ts';

pairSuite('numbers', {
  lang: 'zh',
  correct: [
    ['Kim ngạch đạt 3,7 tỷ USD.', '金额达37亿美元。'],
    ['Tổng thu đạt 2.468,3 tỷ đồng.', '总收入达2.4683万亿越南盾。'],
    ['Tổng thu đạt 2.468,3 tỷ đồng.', '总收入达24683亿越南盾。'],
    ['Dự án 15 nghìn tỷ đồng.', '项目投资15万亿越南盾。'],
    ['Tăng 12,5%.', '增长１２．５％。'],
    ['Có 4,5 triệu người.', '有450万人。'],
    ['Có 186 nghìn trẻ em.', '有18.6万名儿童。'],
    ['GDP tăng cao hơn 0,6 điểm phần trăm.', '国内生产总值增速高出0.6个百分点。'],
    ['Kỷ niệm 50 năm thành lập.', '纪念成立50周年。'],
    ['Trong quý III/2026.', '2026年第三季度。'],
    ['Kim ngạch đạt 3,7 tỷ USD.', '金額達37億美元。'],
  ],
  wrong: [
    ['Kim ngạch đạt 3,7 tỷ USD.', '金额达3.7亿美元。', /3,7 tỷ/],
    ['Dự án 15 nghìn tỷ đồng.', '项目投资15亿越南盾。', /15 nghìn tỷ/],
    ['Có 4,5 triệu người.', '有45万人。', /4,5 triệu/],
    ['Trong quý III/2026.', '2026年第四季度。', /III/],
    ['Vốn đạt 370 triệu USD.', '资本达3,7亿美元。', /Vietnamese separators/],
  ],
});

pairSuite('dates', {
  lang: 'zh',
  correct: [
    ['Ngày 30/4/2026, tại Hà Nội.', '2026年4月30日，在河内。'],
    ['Ngày 30/4, tại Hà Nội.', '4月30日，在河内。'],
    ['Từ ngày 10 đến 12/3/2027.', '2027年3月10日至12日。'],
    ['Lúc 9h15 sáng 5/12.', '12月5日上午9时15分。'],
    ['Lúc 14h30 ngày 5/12.', '12月5日下午2点30分。'],
    ['Lúc 14h30 ngày 5/12.', '12月5日14时30分。'],
    ['Trong 10 tháng đầu năm.', '前10个月。'],
  ],
  wrong: [
    ['Ngày 2/9/2025.', '2025年2月9日。', /swaps day and month/],
    ['Ngày 30/4/2026.', '2025年4月30日。', /year 2025/],
    ['Lúc 9h15 sáng 5/12.', '12月5日下午9时15分。', /09:15/],
    ['Từ ngày 10 đến 12/3/2027.', '2027年5月10日至12日。', /12\/3\/2027|10/],
  ],
});

pairSuite('numbers', {
  lang: 'ja',
  correct: [
    ['Tổng thu đạt 2.468,3 tỷ đồng.', '総収入は2兆4683億ドンに達した。'],
    ['Vốn 370 triệu USD.', '資本金は3億7000万ドル。'],
    ['Có 186 nghìn trẻ em.', '子ども18万6000人。'],
    ['Cao hơn 0,6 điểm phần trăm.', '0.6ポイント上回った。'],
    ['Tăng 12,5%.', '12.5％増。'],
    ['Kỷ niệm 80 năm Quốc khánh.', '国慶節80周年。'],
  ],
  wrong: [
    ['Tổng thu đạt 2.468,3 tỷ đồng.', '総収入は2億4683万ドンに達した。', /2\.468,3 tỷ/],
    ['Vốn 370 triệu USD.', '資本金は37億ドル。', /370 triệu/],
  ],
});

pairSuite('dates', {
  lang: 'ja',
  correct: [
    ['Lúc 9h15 sáng 6/12.', '12月6日午前9時15分。'],
    ['Từ ngày 10 đến 12/3.', '3月10日から12日まで。'],
    ['Ngày 30/4/2026.', '2026年4月30日。'],
    ['Trong 10 tháng.', '10カ月間。'],
  ],
  wrong: [
    ['Lúc 9h15 sáng 6/12.', '12月6日午後9時15分。', /09:15/],
    ['Ngày 6/12.', '6月12日。', /swaps day and month/],
  ],
});

pairSuite('numbers', {
  lang: 'ko',
  correct: [
    ['Có 4,5 triệu người.', '450만 명이 있다.'],
    ['Tổng thu đạt 2.468,3 tỷ đồng.', '총수입은 2조 4,683억 동이다.'],
    ['Vốn 370 triệu USD.', '자본금은 3억 7천만 달러다.'],
    ['Có 186 nghìn trẻ em.', '어린이 18만 6천 명.'],
    ['Cao hơn 0,6 điểm phần trăm.', '0.6%포인트 높았다.'],
    ['Trong quý III.', '3분기에.'],
    ['Kỷ niệm 50 năm.', '50주년 기념.'],
  ],
  wrong: [
    ['Có 4,5 triệu người.', '450억 명이 있다.', /4,5 triệu/],
    ['Vốn 370 triệu USD.', '자본금은 37억 달러다.', /370 triệu/],
  ],
});

pairSuite('dates', {
  lang: 'ko',
  correct: [
    ['Lúc 9h15 sáng 6/12.', '12월 6일 오전 9시 15분.'],
    ['Lúc 14h30 ngày 5/12.', '12월 5일 오후 2시 30분.'],
    ['Từ ngày 10 đến 12/3.', '3월 10일부터 12일까지.'],
    ['Ngày 30/4/2026.', '2026년 4월 30일.'],
    ['Trong 10 tháng.', '10개월간.'],
  ],
  wrong: [
    ['Lúc 9h15 sáng 6/12.', '12월 6일 오후 9시 15분.', /09:15/],
    ['Ngày 2/9.', '2월 9일.', /swaps day and month/],
    ['Ngày 30/4/2026.', '2025년 4월 30일.', /year 2025/],
  ],
});

pairSuite('numbers', {
  lang: 'ru',
  correct: [
    ['Đạt 3,7 tỷ USD.', 'Достиг 3,7 млрд долларов.'],
    ['Tăng 2,37%.', 'Рост на 2,37%.'],
    ['Đón 1.250.000 lượt khách.', 'Принято 1\u00a0250\u00a0000 туристов.'],
    ['Đón 1.250.000 lượt khách.', 'Принято 1\u202f250\u202f000 туристов.'],
    ['Có 186 nghìn trẻ em.', '186 тыс. детей.'],
    ['Dự án 15 nghìn tỷ đồng.', 'Проект на 15 трлн донгов.'],
    ['Dự án 2.468,3 tỷ đồng.', 'Проект на 2468,3 млрд донгов.'],
    ['Cao hơn 0,6 điểm phần trăm.', 'Выше на 0,6 процентного пункта.'],
    ['Kỷ niệm 50 năm.', 'В честь 50-й годовщины.'],
    ['Kỷ niệm 80 năm Quốc khánh.', '80-летие Национального дня.'],
    ['Trong quý III/2026.', 'В III квартале 2026 года.'],
    ['Trong 10 tháng.', 'За десять месяцев.'],
  ],
  wrong: [
    ['Đạt 3,7 tỷ USD.', 'Достиг 3,7 млн долларов.', /3,7 tỷ/],
    ['Dự án 15 nghìn tỷ đồng.', 'Проект на 15 млрд донгов.', /15 nghìn tỷ/],
    ['Đón 1.250.000 lượt khách.', 'Принято 1.250.000 туристов.', /Vietnamese separators/],
    ['Kỷ niệm 50 năm.', 'В честь 40-й годовщины.', /50/],
  ],
});

pairSuite('dates', {
  lang: 'ru',
  correct: [
    ['Ngày 30/4/2026.', '30 апреля 2026 года.'],
    ['Từ ngày 10 đến 12/3.', 'С 10 по 12 марта.'],
    ['Lúc 9h15 ngày 6/12.', '6 декабря в 9:15.'],
    ['Ngày 30/4/1975.', '30.04.1975.'],
    ['Trong tháng 3/2027.', 'В марте 2027 года.'],
  ],
  wrong: [
    ['Ngày 2/9/2025.', '9 февраля 2025 года.', /swaps day and month/],
    ['Ngày 30/4/2026.', '30 апреля 2025 года.', /year 2025/],
    ['Lúc 9h15 ngày 6/12.', '6 декабря в 9:45.', /09:15/],
  ],
});

pairSuite('numbers', {
  lang: 'es',
  correct: [
    ['Dự án 15 nghìn tỷ đồng.', 'Un proyecto de 15 billones de dongs.'],
    ['Đạt 3,7 tỷ USD.', 'Alcanzó 3,7 mil millones de dólares.'],
    ['Đạt 3,7 tỷ USD.', 'Alcanzó 3.700 millones de dólares.'],
    ['Đạt ba tỷ USD.', 'Alcanzó tres mil millones de dólares.'],
  ],
  wrong: [
    ['Dự án 15 nghìn tỷ đồng.', 'Un proyecto de 15 mil millones de dongs.', /15 nghìn tỷ/],
    ['Đạt 3,7 tỷ USD.', 'Alcanzó 3,7 millones de dólares.', /3,7 tỷ/],
  ],
});

pairSuite('numbers', {
  lang: 'fr',
  correct: [
    ['Dự án 15 nghìn tỷ đồng.', 'Un projet de 15\u00a0000 milliards de dongs.'],
    ['Tăng 12,5%.', 'En hausse de 12,5\u202f%.'],
    ['Đón 1.250.000 lượt khách.', 'Elle a accueilli 1\u202f250\u202f000 visiteurs.'],
    ['Trong quý III.', 'Au troisième trimestre.'],
  ],
  wrong: [
    ['Dự án 15 nghìn tỷ đồng.', 'Un projet de 15 milliards de dongs.', /15 nghìn tỷ/],
  ],
});

// Lao: digits (Arabic or Lao) and times are read; dates and number words are not (README, Review desk)
pairSuite('numbers', {
  lang: 'lo',
  correct: [
    ['Có 450 gian hàng.', 'ມີ ໔໕໐ ຮ້ານ.'],
    ['Có 450 gian hàng.', 'ມີ 450 ຮ້ານ.'],
  ],
  wrong: [
    ['Có 450 gian hàng.', 'ມີ ໕໔໐ ຮ້ານ.', /450/],
  ],
});
