/**
 * Reads dates, times and quantities in Chinese, Japanese and Korean, each language's forms given
 * by its module (zh.ts, ja.ts, ko.ts). Numbers group by ten thousands: 万/萬/만 10⁴, 亿/億/억 10⁸,
 * 兆/조 10¹² (Chinese 万亿 10¹²), chained from the largest ("2兆4683億", "2조 4,683억", "3억 7천만",
 * "18万6000"); "," groups thousands and "." marks decimals ("3.7亿", "4,683억"); full-width digits
 * are read as digits (normalised before, see digits.ts). Dates run year, month, day ("2026年4月30日",
 * "2026년 4월 30일"), ranges "3月10日至12日", "3月10日から12日まで", "3월 10일부터 12일까지"; times
 * carry their part of the day ("下午2时30分", "午前9時15分", "오전 9시 15분"). Han numerals are read
 * after 第 and before counters ("第三季度"), and never reported as extra numbers.
 */
import { Claims, eachFree, parseDigits, type DateMention, type Quantity, type Scan, type TimeMention } from '../mentions.ts';

export interface CjkForms {
  /** Regex sources: the year, month and day markers; the gap allowed between parts (Korean writes spaces). */
  year: string; month: string; day: string; gap: string;
  /** What joins the two ends of a range, and what may close it ("まで", "까지"). */
  rangeJoin: string; rangeEnd: string;
  /** Time markers: the hour (not a duration: "时" but not "小时", "時" but not "時間") and the minute. */
  hour: string; minute: string; half: string;
  /** Parts of the day: after noon, before noon, noon itself. */
  afternoon: string; morning: string; noon: string;
  /** Words after a number that make it a percentage or percentage points. */
  percent: string;
  /** Words before a number that make it a percentage ("百分之"). */
  percentBefore?: string;
}

const BIG: Record<string, number> = { 万亿: 1e12, 萬億: 1e12, 兆: 1e12, 조: 1e12, 亿: 1e8, 億: 1e8, 억: 1e8, 万: 1e4, 萬: 1e4, 만: 1e4 };
const SMALL: Record<string, number> = { 十: 10, 拾: 10, 십: 10, 百: 100, 佰: 100, 백: 100, 千: 1000, 仟: 1000, 천: 1000 };
const HAN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 壹: 1, 二: 2, 两: 2, 兩: 2, 贰: 2, 三: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9 };

const DIGITS = '\\d+(?:,\\d{3})*(?:\\.\\d+)?';
const HAN = `[${Object.keys(HAN_DIGITS).join('')}十百千]+`;
const BIG_RE = Object.keys(BIG).sort((a, b) => b.length - a.length).join('|');
const SMALL_RE = `[${Object.keys(SMALL).join('')}]`;
// one group: a coefficient ("3", "4,683", "7천", "三"), then a large unit ("亿", "억", "万亿")
const GROUP = `(?:\\d+(?:[.,]\\d+)*|${HAN})\\s?${SMALL_RE}?(?:${BIG_RE})`;
// a chain of groups from the largest down, then what is left below ten thousand ("6000", "6천")
const CHAIN = `${GROUP}(?:\\s?${GROUP})*(?:\\d{1,4}(?![\\d.,])${SMALL_RE}?|\\s\\d{1,4}${SMALL_RE})?`;

/** The value of a Han numeral below ten thousand ("三", "十五", "二千零二十六"), or undefined. */
export function hanValue(s: string): number | undefined {
  if (/^[〇零一二三四五六七八九]{2,}$/.test(s)) return Number([...s].map((c) => HAN_DIGITS[c]).join('')); // "二〇二六"
  let total = 0, digit = -1;
  for (const c of s) {
    if (HAN_DIGITS[c] !== undefined) { digit = HAN_DIGITS[c]!; continue; }
    const unit = SMALL[c];
    if (unit === undefined) return undefined;
    total += (digit < 0 ? 1 : digit) * unit;
    digit = -1;
  }
  return total + Math.max(digit, 0);
}

const digits = (s: string) => parseDigits(s, ',', '.');

/** A coefficient with an optional 千/천 inside a group: "4,683" → 4683, "7천" → 7000, "三" → 3. */
function coefficient(s: string, read: (s: string) => number | undefined): number | undefined {
  const m = /^(.*?)\s?([十拾십百佰백千仟천])?$/u.exec(s)!;
  const body = m[1]!;
  const v = /^\d/.test(body) ? read(body) : body ? hanValue(body) : 1;
  if (v === undefined) return undefined;
  return m[2] ? v * SMALL[m[2]]! : v;
}

function chainValue(text: string, read: (s: string) => number | undefined = digits): number | undefined {
  let total = 0;
  let rest = text;
  const group = new RegExp(`^\\s?(.+?)(${BIG_RE})`, 'u');
  for (let m = group.exec(rest); m; m = group.exec(rest)) {
    const c = coefficient(m[1]!, read);
    if (c === undefined) return undefined;
    total += c * BIG[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (rest.trim()) {
    const c = coefficient(rest.trim(), read);
    if (c === undefined) return undefined;
    total += c;
  }
  return Math.round(total * 1e6) / 1e6;
}

export function scanCjk(text: string, L: CjkForms): Scan {
  const claims = new Claims();
  const dates: DateMention[] = [];
  const times: TimeMention[] = [];
  const quantities: Quantity[] = [];
  const g = L.gap;
  const Y = `(\\d{4})${L.year}${g}`, M = `(\\d{1,2})${L.month}`, D = `(\\d{1,2})${L.day}`;
  const add = (m: RegExpExecArray, day: number | undefined, month: number | undefined, year: string | undefined) => {
    if (month !== undefined && (month < 1 || month > 12)) return false;
    if (day !== undefined && (day < 1 || day > 31)) return false;
    dates.push({ day, month, year: year ? Number(year) : undefined, start: m.index, end: m.index + m[0].length, text: m[0] });
    return true;
  };

  // ranges: "2027年3月10日至12日", "3月10日から4月2日まで", "3월 10일부터 12일까지", "10-12日"
  eachFree(text, new RegExp(`(?:${Y})?${M}${g}(\\d{1,2})(?:${L.day})?${g}(?:${L.rangeJoin})${g}(?:${M}${g})?${D}(?:${L.rangeEnd})?`, 'gu'), claims, (m) => {
    const year = m[1], m1 = +m[2]!, d1 = +m[3]!, m2 = m[4] ? +m[4] : m1, d2 = +m[5]!;
    if (m2 === m1 && d1 >= d2) return false;
    const a = dates.length;
    if (!add(m, d1, m1, year) || !add(m, d2, m2, year)) { dates.length = a; return false; }
  });
  // "2026年4月30日", "4月30日", "2026년 4월 30일"
  eachFree(text, new RegExp(`(?:${Y})?${M}${g}${D}`, 'gu'), claims, (m) => add(m, +m[3]!, +m[2]!, m[1]));
  // "2026年4月", "4月" (a month, not "4个月" / "4カ月" / "4개월", which are durations)
  eachFree(text, new RegExp(`(?:${Y})?${M}`, 'gu'), claims, (m) => add(m, undefined, +m[2]!, m[1]));

  // times: "下午2时30分", "9时", "午前9時15分", "오후 2시 30분", "2시 반"
  eachFree(text, new RegExp(`(?:(${L.afternoon})|(${L.morning})|(${L.noon}))?${g}(\\d{1,2})(?:${L.hour})(?:${g}(?:(\\d{1,2})(?:${L.minute})|(${L.half})))?`, 'gu'), claims, (m) => {
    let hour = +m[4]!;
    const minute = m[5] ? +m[5] : m[6] ? 30 : 0;
    if (hour > 24 || minute > 59) return false;
    if (m[1] && hour < 12) hour += 12;
    if (m[2] && hour === 12) hour = 0;
    times.push({ minutes: (hour % 24) * 60 + minute, twelveHourAmbiguous: false, start: m.index, end: m.index + m[0].length, text: m[0] });
  });
  // "14:30"
  eachFree(text, /(?<![\d.,:])(\d{1,2}):(\d{2})(?!\d)/g, claims, (m) => {
    const hour = +m[1]!, minute = +m[2]!;
    if (hour > 24 || minute > 59) return false;
    times.push({ minutes: (hour % 24) * 60 + minute, twelveHourAmbiguous: hour >= 1 && hour <= 12, start: m.index, end: m.index + m[0].length, text: m[0] });
  });

  const push = (m: RegExpExecArray, value: number | undefined, kind: Quantity['kind'], extra: Partial<Quantity> = {}) => {
    if (value === undefined) return false;
    quantities.push({ value, kind, start: m.index, end: m.index + m[0].length, text: m[0], ...extra });
  };
  // percentages and percentage points: "12.5%", "12.5％", "0.6个百分点", "0.6ポイント", "0.6%포인트", "百分之五十"
  eachFree(text, new RegExp(`(${CHAIN}|${DIGITS})\\s?(?:${L.percent})`, 'gu'), claims, (m) => push(m, chainValue(m[1]!) ?? digits(m[1]!), 'percent'));
  if (L.percentBefore) eachFree(text, new RegExp(`(?:${L.percentBefore})(${DIGITS}|${HAN})`, 'gu'), claims, (m) => push(m, /^\d/.test(m[1]!) ? digits(m[1]!) : hanValue(m[1]!), 'percent'));
  // magnitudes: "37亿", "2兆4683億", "2조 4,683억", "3억 7천만", "15万亿", "18万6000", "三千万"
  eachFree(text, new RegExp(CHAIN, 'gu'), claims, (m) => {
    const value = chainValue(m[0]);
    if (value !== undefined) return push(m, value, /^\d/.test(m[0]) ? 'number' : 'words');
    // "3,7亿": digits in the Vietnamese way, unconverted
    const vi = chainValue(m[0], (x) => parseDigits(x, '.', ','));
    return vi === undefined ? false : push(m, NaN, 'number', { viReading: vi });
  });
  // Han numerals as ordinals and counts: "第三季度", "三年", "五十周年"; they only help a source number find its match
  eachFree(text, new RegExp(`(?<=第)${HAN}|${HAN}(?=[个個年月日周週届屆次位名项項倍季])`, 'gu'), claims, (m) => push(m, hanValue(m[0]), 'words', { weak: true }));
  // plain digits: "450", "2026", "7.4"; with a Vietnamese-style separator left in ("3,7亿" is not Chinese) the Vietnamese reading
  eachFree(text, /\d+(?:[.,]\d+)*/g, claims, (m) => {
    const value = digits(m[0]);
    const vi = parseDigits(m[0], '.', ',');
    if (value === undefined) return push(m, NaN, 'number', { viReading: vi });
    push(m, value, 'number', { viReading: vi !== undefined && vi !== value ? vi : undefined });
  });
  return { dates, times, quantities };
}
