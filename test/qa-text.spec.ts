/** The glossary, names and untranslated checks on Vietnamese/English pairs. */
import { readFileSync } from 'node:fs';
import { parseGlossaryTsv } from '../src/store/glossary.ts';
import { pairSuite } from './support/qa-pairs.ts';

const glossary = parseGlossaryTsv(readFileSync(new URL('../config/glossaries/vi-en.tsv', import.meta.url), 'utf8'));

pairSuite('glossary', {
  glossary,
  correct: [
    ['Bộ Chính trị khóa XI đã ban hành Kết luận số 16.', 'The 11th-tenure Politburo issued Conclusion No. 16.'],
    ['Bộ Chính trị khóa XI đã ban hành Kết luận số 16.', 'The Political Bureau of the 11th tenure issued Conclusion No. 16.'],
    ['Ban Bí thư đã ban hành Chỉ thị số 26.', 'The Secretariat issued Directive No. 26.'],
    ['Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân nêu rõ.', 'Foreign Ministry spokesperson Do Thanh Van said.'],
    ['Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân nêu rõ.', 'Ministry of Foreign Affairs spokesperson Do Thanh Van said.'],
    ['Trả lời câu hỏi của phóng viên Thông tấn xã Việt Nam.', 'Answering a question from a Vietnam News Agency reporter.'],
    ['Trả lời câu hỏi của phóng viên Thông tấn xã Việt Nam.', 'Answering a question from a VNA reporter.'],
    ['Nâng cao hiệu quả công tác thông tin đối ngoại.', 'Improving the effectiveness of external information work.'],
    ['Thông tin đối ngoại là một bộ phận rất quan trọng.', 'External information is a very important part.'],
    ['Tại trụ sở Ủy ban nhân dân tỉnh.', 'At the headquarters of the provincial People’s Committee.'],
    ['Tại trụ sở Ủy ban nhân dân tỉnh.', "At the headquarters of the provincial people's committee."],
    ['Đồng chí Trần Thị Mai Lan, Phó Bí thư Tỉnh ủy, Chủ tịch Hội đồng nhân dân tỉnh.', 'Tran Thi Mai Lan, Deputy Secretary of the Provincial Party Committee and Chair of the provincial People’s Council.'],
    ['Cộng đồng người Việt Nam ở nước ngoài.', 'The Vietnamese community abroad.'.replace('Vietnamese', 'Viet Nam')],
    ['Các cơ quan đại diện Việt Nam ở nước ngoài.', 'Vietnam’s representative missions abroad.'],
    ['Trời hôm nay đẹp.', 'The weather is fine today.'],
  ],
  wrong: [
    ['Bộ Chính trị khóa XI đã ban hành Kết luận số 16.', 'The 11th Central Committee issued Conclusion No. 16.', /"Bộ Chính trị" must be translated as "Politburo"/],
    ['Người phát ngôn Bộ Ngoại giao nêu rõ.', 'The Foreign Office spokesperson said.', /Bộ Ngoại giao/],
    ['Trả lời câu hỏi của phóng viên Thông tấn xã Việt Nam.', 'Answering a question from a reporter of the national news agency.', /Thông tấn xã Việt Nam/],
    ['Nâng cao hiệu quả công tác thông tin đối ngoại.', 'Improving the effectiveness of overseas propaganda.', /thông tin đối ngoại/],
    ['Quốc hội thông qua luật.', 'The parliament passed the law.', /National Assembly/],
    ['Tại trụ sở Ủy ban nhân dân tỉnh.', 'At the provincial government headquarters.', /People's Committee/],
  ],
});

pairSuite('names', {
  correct: [
    ['Đồng chí Võ Văn Thưởng, Ủy viên Bộ Chính trị, phát biểu chỉ đạo.', 'Vo Van Thuong, member of the Politburo, addressed the conference.'],
    ['Đồng chí Võ Văn Thưởng, Ủy viên Bộ Chính trị, phát biểu chỉ đạo.', 'Võ Văn Thưởng, member of the Politburo, addressed the conference.'],
    ['Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân nêu rõ.', 'Foreign Ministry spokesperson Do Thanh Van said.'],
    ['Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh đã tiếp đoàn.', 'Nguyen Van An, Vice Chairman of the provincial People’s Committee, received the delegation.'],
    ['Tham dự có đồng chí Trần Thị Mai Lan, Phó Bí thư Tỉnh ủy.', 'Attending was Tran Thi Mai Lan, Deputy Secretary of the Provincial Party Committee.'],
    ['Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản.', 'Prime Minister Pham Minh Chinh received the Japanese Ambassador.'],
    ['Bà Lê Thị Thu Hằng, Người phát ngôn Bộ Ngoại giao, cho biết.', 'Le Thi Thu Hang, spokesperson for the Ministry of Foreign Affairs, said.'],
    ['Tổng thống Joe Biden thăm Hà Nội.', 'President Joe Biden visited Hanoi.'],
    ['Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập.', 'President Ho Chi Minh read the Declaration of Independence.'],
    ['Bộ trưởng Bộ Ngoại giao tiếp đoàn.', 'The Minister of Foreign Affairs received the delegation.'],
    ['Hội nghị diễn ra tại Thành phố Hồ Chí Minh.', 'The conference took place in Ho Chi Minh City.'],
  ],
  wrong: [
    ['Đồng chí Võ Văn Thưởng, Ủy viên Bộ Chính trị, phát biểu chỉ đạo.', 'A member of the Politburo addressed the conference.', /Võ Văn Thưởng/],
    ['Đồng chí Võ Văn Thưởng phát biểu.', 'Vo Van Thuan spoke.', /Võ Văn Thưởng/],
    ['Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân nêu rõ.', 'The Foreign Ministry spokesperson said.', /Đỗ Thanh Vân/],
    ['Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh đã tiếp đoàn.', 'Nguyen An, Vice Chairman, received the delegation.', /Nguyễn Văn An/],
    ['Tổng thống Joe Biden thăm Hà Nội.', 'The US President visited Hanoi.', /Joe Biden/, 'warning'],
  ],
});

pairSuite('untranslated', {
  correct: [
    ['Đồng chí Võ Văn Thưởng phát biểu.', 'Võ Văn Thưởng spoke.'],
    ['Hai bên ký kết thỏa thuận hợp tác.', 'The two sides signed a cooperation agreement.'],
    ['Ngày hội tái hiện lễ mừng lúa mới.', 'The festival re-enacts the new rice celebration.'],
    ['Múa xoang là điệu múa truyền thống.', 'The xoang is a traditional dance.'],
    ['Hội nghị tại Đà Nẵng.', 'The conference in Da Nang.'],
    ['Món phở nổi tiếng.', 'The famous phở.'.replace('phở', 'pho')],
    ['Dự án ở Hà Nội.', 'The project in Hà Nội.'],
  ],
  wrong: [
    ['Hai bên ký kết thỏa thuận hợp tác.', 'The two sides signed a thỏa thuận hợp tác.', /thỏa thuận hợp tác/],
    ['Hai bên ký kết thỏa thuận hợp tác.', 'The two sides signed a hợp tác agreement.', /hợp tác/],
    ['Ngày hội tái hiện lễ mừng lúa mới của đồng bào các dân tộc thiểu số.', 'The festival re-enacts the new rice celebration của đồng bào các dân tộc thiểu số.', /của đồng bào các dân tộc thiểu số/],
    ['Thông tin đối ngoại là một bộ phận rất quan trọng trong công tác tuyên truyền.', 'Thông tin đối ngoại là một bộ phận rất quan trọng trong công tác tuyên truyền.', /Vietnamese left untranslated/],
    ['Thong tin doi ngoai la mot bo phan rat quan trong.', 'Thong tin doi ngoai la mot bo phan rat quan trong.', /the source text, not a translation/],
    ['Chính phủ họp.', 'The government met (họp).', /họp/, 'warning'],
  ],
});
