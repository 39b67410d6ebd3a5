/**
 * Routing a new story (src/ingest/routing.ts over core/routing.ts) against 20 audiences with 50 rules
 * each (sources, categories, keywords and regions, half of them with diacritics), as intake does
 * for every story: the clean HTML read to words, every rule decided. Stories of about 4,000
 * characters; target under 1 ms per story.
 */
import { routingSchema } from '../src/core/routing.ts';
import { storyRouter } from '../src/ingest/routing.ts';
import { percentile, report } from './support.ts';

const BENCH = 'routing';
const AUDIENCES = 20;
const RULES = 50;
const provinces = ['Hà Nội', 'Hải Phòng', 'Đà Nẵng', 'Huế', 'Nghệ An', 'Thanh Hóa', 'Quảng Ninh', 'Lào Cai', 'Điện Biên', 'Cần Thơ', 'Đồng Tháp', 'An Giang', 'Kiên Giang', 'Gia Lai', 'Đắk Lắk'];
const words = ['hợp tác', 'đầu tư', 'xuất khẩu', 'lúa gạo', 'biển Đông', 'du lịch', 'giáo dục', 'y tế', 'năng lượng', 'hạ tầng', 'ngoại giao', 'quốc phòng', 'văn hóa', 'thể thao', 'nông nghiệp', 'thủy sản', 'cao su', 'cà phê', 'điện gió', 'bão lũ'];
const categories = ['Thời sự', 'Kinh tế', 'Đối ngoại', 'Văn hóa', 'Thể thao', 'Xã hội', 'Pháp luật', 'Giáo dục'];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;

const audiences = Array.from({ length: AUDIENCES }, (_, a) => ({
  id: `a${a}`,
  routing: routingSchema.parse({
    mode: a % 4 === 0 ? 'planning' : 'automatic',
    take: Array.from({ length: RULES - 10 }, (_, r) => {
      const n = a * RULES + r;
      // a keyword written without diacritics every other rule (the loose match)
      const kw = (k: number) => (k % 2 ? fold(pick(words, n + k)) : pick(words, n + k));
      return r % 4 === 0 ? { sources: [`s${n % 30}`, `s${(n + 7) % 30}`] }
        : r % 4 === 1 ? { categories: [pick(categories, n)], keywords: [kw(1), kw(2)] }
        : r % 4 === 2 ? { regions: [pick(provinces, n), pick(provinces, n + 3)] }
        : { keywords: [kw(0), `${kw(3)} ${pick(provinces, n)}`, kw(5)] };
    }),
    never: Array.from({ length: 10 }, (_, r) => ({ keywords: [`${pick(words, a + r)} trái phép`, 'xổ số'] })),
  }),
}));
const route = storyRouter(audiences);

const paragraph = (n: number) => `<p>Ngày ${n % 28 + 1}, tại ${pick(provinces, n)}, đại diện các bộ ngành đã làm việc về ${pick(words, n)} và ${pick(words, n + 5)}; `
  + `hai bên thống nhất đẩy mạnh ${pick(words, n + 9)}, trao đổi đoàn và chia sẻ kinh nghiệm trong lĩnh vực ${pick(words, n + 13)} &amp; ${pick(words, n + 2)}.</p>`;
const stories = Array.from({ length: 2000 }, (_, n) => ({
  source_id: `s${n % 40}`, category: pick(categories, n), priority: n % 97 === 0,
  title: `Thúc đẩy ${pick(words, n)} tại ${pick(provinces, n + 1)}`, summary: `Tóm tắt: ${pick(words, n + 3)} và ${pick(words, n + 4)}.`,
  body_html: Array.from({ length: 16 }, (_, p) => paragraph(n + p * 7)).join('\n'),
}));

let taken = 0;
for (const s of stories.slice(0, 200)) taken += route(s).length; // warm up
const times: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const s of stories) {
  const start = performance.now();
  const routes = route(s);
  times.push(performance.now() - start);
  taken += routes.filter((r) => r.choice !== 'skip').length;
}
const total = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
times.sort((x, y) => x - y);
report(BENCH, {
  figure: 'route_story_20_audiences_50_rules', value: Number(percentile(times, 50).toFixed(3)), unit: 'ms', target: '< 1',
  p95: Number(percentile(times, 95).toFixed(3)), mean: Number((total / stories.length).toFixed(3)),
  cpuMsPerStory: Number(((cpu.user + cpu.system) / 1000 / stories.length).toFixed(3)),
  stories: stories.length, storyCharacters: Math.round(stories.reduce((n, s) => n + s.body_html.length, 0) / stories.length), routedToSome: taken > 0,
});
