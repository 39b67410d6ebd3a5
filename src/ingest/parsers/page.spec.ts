import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parsePage } from './page.ts';

const seed = readFileSync(new URL('../../../test/fixtures/pages/seed-article.html', import.meta.url), 'utf8');

describe('article page extraction', () => {
  for (const [name, html] of [
    ['the seed page', seed],
    ['the seed page inside one ASP.NET <form>', seed.replace(/<body([^>]*)>/, '<body$1><form id="aspnetForm" method="post" action="/">').replace('</body>', '</form></body>')],
  ] as const) {
    it(`keeps title, date, lead, every paragraph and the credit line of ${name}, and drops the chrome`, () => {
      const page = parsePage('https://tuyengiaokontum.org.vn/tin-tuc/x.html', html);
      expect(page.title).to.match(/^Nâng cao hiệu quả công tác thông tin đối ngoại/);
      expect(page.publishedAt?.toISOString()).to.equal('2017-08-04T08:20:00.000Z');
      expect(page.attribution).to.equal('Nguồn tin: Theo Thu Hằng/tuyen.giao.vn');
      expect(page.imageUrl).to.equal('https://tuyengiaokontum.org.vn/uploads/news/2017_08/hoi-nghi.jpg');
      expect(page.bodyHtml).to.match(/^<p><strong>Tại Hội nghị sơ kết 5 năm/);
      for (const start of ['Ngày 2/8, tại Hà Nội', 'Một là,', 'Năm là,', 'Tại Hội nghị, Ban Tuyên giáo Trung ương đã tặng Bằng khen']) expect(page.bodyHtml).to.contain(start);
      for (const chrome of ['Những tin mới hơn', 'Những tin cũ hơn', 'Văn Bản Mới', 'Lượt xem', 'Tổng số điểm', 'Ý kiến bạn đọc', 'Hình ảnh hoạt động', 'Đăng nhập', 'Tổng lượt truy cập', 'Giấy phép số', 'duy trì trạng thái', 'Trang chủ', 'Nguồn tin']) expect(page.bodyHtml).to.not.contain(chrome);
    });
  }
});
