/**
 * Matching one foreign item against the watch list: 5,000 terms, each with forms in 6 languages
 * (vi, en, fr, ru, zh, ja; 30,000 forms), one automaton (src/review/monitor/watch-match.ts). Items: an
 * English article of about 600 words and a Chinese one of about 1,500 characters, each naming a few
 * terms, matched with their Vietnamese translation as the service does. Target: under 2 ms per item.
 */
import { WatchMatcher, type WatchTermForms } from '../src/review/monitor/watch-match.ts';

let seed = 17;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const latin = ['an', 'bao', 'binh', 'cam', 'dong', 'giang', 'ha', 'hai', 'hoa', 'khanh', 'lam', 'linh', 'minh', 'nam', 'ninh', 'phu', 'quang', 'son', 'tan', 'thanh', 'trung', 'vinh', 'xuan', 'yen'];
const viLatin = ['An', 'Bảo', 'Bình', 'Cẩm', 'Đông', 'Giang', 'Hà', 'Hải', 'Hòa', 'Khánh', 'Lâm', 'Linh', 'Minh', 'Nam', 'Ninh', 'Phú', 'Quảng', 'Sơn', 'Tân', 'Thanh', 'Trung', 'Vĩnh', 'Xuân', 'Yên'];
const cyrillic = ['ан', 'бао', 'бинь', 'кам', 'донг', 'зянг', 'ха', 'хай', 'хоа', 'кхань', 'лам', 'линь', 'минь', 'нам', 'нинь', 'фу', 'куанг', 'шон', 'тан', 'тхань', 'чунг', 'винь', 'суан', 'йен'];
const han = '安宝平锦东江河海和庆林灵明南宁富广山新清中永春安'.split('');
const kana = 'アンバオビンカムドンザンハハイホアカンラムリンミンナムニンフークアンソンタンタインチュンヴィンスアンイエン'.split('');

const terms: WatchTermForms[] = [];
for (let id = 1; id <= 5000; id++) {
  const parts = Array.from({ length: 2 + Math.floor(random() * 2) }, () => Math.floor(random() * latin.length));
  const word = (list: readonly string[], join = ' ') => parts.map((p) => list[p]).join(join);
  const kind = pick(['province', 'ministry', 'company', 'university']);
  terms.push({ id, forms: [
    { language: 'vi', text: `${word(viLatin)} ${id}` },
    { language: 'en', text: `${word(latin)} ${kind} ${id}` },
    { language: 'fr', text: `${kind === 'province' ? 'province de' : 'ministère de'} ${word(latin)} ${id}` },
    { language: 'ru', text: `${word(cyrillic)} ${id}` },
    { language: 'zh', text: `${parts.map((p) => han[p]).join('')}${id}` },
    { language: 'ja', text: `${parts.map((p) => kana[p]).join('')}${id}` },
  ] });
}

const filler = (n: number, list: readonly string[], join: string) => Array.from({ length: n }, () => pick(list)).join(join);
const named = (n: number) => Array.from({ length: n }, () => pick(terms));
const english = `${filler(300, ['the', 'officials', 'said', 'on', 'Tuesday', 'that', 'a', 'report', 'claimed', ...latin], ' ')} ${named(4).map((t) => t.forms[1]!.text).join(' and ')} ${filler(300, ['photographs', 'were', 'shared', 'widely', 'online', 'by', ...latin], ' ')}.`;
const chinese = `${filler(700, [...han, '的', '了', '在', '是', '网', '传'], '')}${named(4).map((t) => t.forms[4]!.text).join('，')}${filler(700, [...han, '的', '了'], '')}。`;
const vietnamese = (text: string) => `[VI] ${text}`;

const builtAt = performance.now();
const matcher = new WatchMatcher(terms);
const buildMs = performance.now() - builtAt;

const items = [[english, vietnamese(english)], [chinese, vietnamese(chinese)]] as const;
for (let i = 0; i < 200; i++) matcher.match(...items[i % 2]!); // warm-up
const times: number[] = [];
let found = 0;
const cpu = process.cpuUsage();
for (let i = 0; i < 2000; i++) {
  const at = performance.now();
  found += matcher.match(...items[i % 2]!).length;
  times.push(performance.now() - at);
}
const used = process.cpuUsage(cpu);
times.sort((a, b) => a - b);
const q = (p: number) => Number(times[Math.floor(p * (times.length - 1))]!.toFixed(3));
const line = (figure: string, value: number, unit: string, extra: object = {}) => console.log(JSON.stringify({ bench: 'watch', figure, value, unit, ...extra }));
line('match_one_item_p50', q(0.5), 'ms', { target: '< 2', terms: terms.length, forms: matcher.size, languages: 6 });
line('match_one_item_p95', q(0.95), 'ms', { target: '< 2' });
// the process's CPU time per item: what the matching costs, whatever else the machine runs
line('match_one_item_cpu_mean', Number(((used.user + used.system) / 1000 / times.length).toFixed(3)), 'ms', { target: '< 2' });
line('terms_found_per_item', found / times.length, 'terms');
line('build_automaton', Number(buildMs.toFixed(1)), 'ms', { forms: matcher.size });
