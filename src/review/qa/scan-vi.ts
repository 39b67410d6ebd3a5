/**
 * Reads dates, times and quantities in Vietnamese text. Conventions: day before month
 * ("10/9/2008" is 10 September 2008), "." groups thousands and "," marks decimals ("1.234,5"),
 * magnitude words (nghìn/ngàn, triệu, tỷ/tỉ), 24-hour times ("15h20", "15 giờ 20"), Roman
 * numerals for tenures and congresses ("khóa XI").
 */
import { Claims, eachFree, parseDigits, romanValue, type DateMention, type Quantity, type Scan, type TimeMention } from './mentions.ts';

const D = '(\\d{1,2})';
const Y = '(\\d{4})';
const sep = '\\s*[/]\\s*';
// words that make a bare "2/8" a date rather than a fraction
const dateCue = /((ngày|hôm|sáng|chiều|tối|trưa|đêm|từ|đến|tới|và|vào|lúc|nay|qua|thứ\s+\S+|chủ\s+nhật|cn|t[2-7])[\s,(-]*|\(\s*)$/i;

const validDay = (d: number) => d >= 1 && d <= 31;
const validMonth = (m: number) => m >= 1 && m <= 12;
const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));

export function scanVietnamese(text: string): Scan {
  const claims = new Claims();
  const dates: DateMention[] = [];
  const times: TimeMention[] = [];
  const quantities: Quantity[] = [];
  const addDate = (m: RegExpExecArray, day: number | undefined, month: number | undefined, year: number | undefined) => {
    dates.push({ day, month, year, start: m.index, end: m.index + m[0].length, text: m[0] });
  };

  // ranges: "từ 25 đến 28/5", "25-28/5/2026", "từ ngày 25 đến ngày 28 tháng 5 năm 2026"
  eachFree(text, new RegExp(`${D}\\s*(?:-|–|đến|tới)\\s*(?:ngày\\s+)?${D}(?:${sep}${D}(?:${sep}${Y})?|\\s+tháng\\s+${D}(?:\\s*(?:năm|,)\\s*${Y})?)(?![\\d/])`, 'giu'), claims, (m) => {
    const d1 = +m[1]!, d2 = +m[2]!, month = n(m[3] ?? m[5])!, year = n(m[4] ?? m[6]);
    if (!validDay(d1) || !validDay(d2) || !validMonth(month) || d1 >= d2) return false;
    addDate(m, d1, month, year);
    addDate(m, d2, month, year);
  });
  // "ngày 2 tháng 8 năm 2017"
  eachFree(text, new RegExp(`(?:ngày\\s+)?${D}\\s+tháng\\s+${D}(?:\\s*(?:năm|,)\\s*${Y})?`, 'giu'), claims, (m) => {
    const day = +m[1]!, month = +m[2]!;
    if (!validDay(day) || !validMonth(month)) return false;
    // "3 tháng" alone is a duration; "3 tháng 10" is 3 October
    addDate(m, day, month, n(m[3]));
  });
  // "10/9/2008", "10-9-2008", "10.9.2008"
  eachFree(text, new RegExp(`(?<![\\d/.,])${D}\\s*([/.-])\\s*${D}\\s*\\2\\s*(\\d{4}|\\d{2})(?![\\d/])`, 'gu'), claims, (m) => {
    const day = +m[1]!, month = +m[3]!;
    if (!validDay(day) || !validMonth(month)) return false;
    const y = +m[4]!;
    addDate(m, day, month, y < 100 ? 2000 + y : y);
  });
  // "2/8" after a cue ("Ngày 2/8", "Sáng 12/11", "Thứ Sáu (4/8)")
  eachFree(text, new RegExp(`(?<![\\d/.,])${D}${sep}${D}(?![\\d/]|,\\d)`, 'gu'), claims, (m) => {
    const day = +m[1]!, month = +m[2]!;
    if (!validDay(day) || !validMonth(month)) return false;
    if (!dateCue.test(text.slice(Math.max(0, m.index - 24), m.index))) return false;
    addDate(m, day, month, undefined);
  });
  // month words: "tháng 10", "tháng 10/2017", "tháng 10 năm 2017"; not "3 tháng" (a duration)
  eachFree(text, new RegExp(`(?<!\\d\\s*)tháng\\s+${D}(?:\\s*(?:/|năm|,)\\s*${Y})?`, 'giu'), claims, (m) => {
    const month = +m[1]!;
    if (!validMonth(month)) return false;
    addDate(m, undefined, month, n(m[2]));
  });

  // times: "15h20", "15h", "15 giờ 20", "15:20", "8 giờ sáng", "3 giờ chiều"
  eachFree(text, /(?<![\d.,])(\d{1,2})\s*(?:(h|giờ|:)(?:\s*(\d{2}))?)(?:\s*(?:phút|p)\b)?(?:\s+(sáng|trưa|chiều|tối|đêm))?(?![\d/])/giu, claims, (m) => {
    let hour = +m[1]!;
    const minute = m[3] ? +m[3] : 0;
    const unit = m[2]!.toLowerCase();
    if (hour > 24 || minute > 59) return false;
    // "2 ha" is an area, not two o'clock
    if (unit === 'h' && !m[3] && /\p{L}/u.test(text[m.index + m[0].length] ?? '')) return false;
    if (unit === ':' && !m[3]) return false;
    // "48 giờ" is a duration: a bare "giờ" is a time only with a part of the day or "lúc/vào" before it
    if (unit === 'giờ' && !m[3] && !m[4] && !/(lúc|vào|từ|đến)\s*$/i.test(text.slice(Math.max(0, m.index - 8), m.index))) return false;
    const part = m[4]?.toLowerCase();
    if ((part === 'chiều' || part === 'tối') && hour < 12) hour += 12;
    if (part === 'đêm' && hour >= 7 && hour < 12) hour += 12;
    times.push({ minutes: (hour % 24) * 60 + minute, twelveHourAmbiguous: false, start: m.index, end: m.index + m[0].length, text: m[0] });
  });

  scanViQuantities(text, claims, quantities);
  return { dates, times, quantities };
}

const viMagnitude: Record<string, number> = { trăm: 1e2, nghìn: 1e3, ngàn: 1e3, vạn: 1e4, triệu: 1e6, tỷ: 1e9, tỉ: 1e9 };
const viSmallWords: Record<string, number> = { một: 1, hai: 2, ba: 3, bốn: 4, tư: 4, năm: 5, sáu: 6, bảy: 7, bẩy: 7, tám: 8, chín: 9, mười: 10 };
const NUM = '\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d+\\.\\d{1,2}(?!\\d)|\\d+(?:,\\d+)?';
const MAG = 'nghìn|ngàn|vạn|triệu|tỷ|tỉ';

function viNumber(s: string): number | undefined {
  if (viSmallWords[s.toLowerCase()] !== undefined) return viSmallWords[s.toLowerCase()];
  // "3.5" is not the Vietnamese way, but it occurs; read it as a decimal when it cannot be thousands
  if (/^\d+\.\d{1,2}$/.test(s)) return Number(s);
  return parseDigits(s, '.', ',');
}

function scanViQuantities(text: string, claims: Claims, out: Quantity[]) {
  const push = (m: RegExpExecArray, value: number, kind: Quantity['kind']) =>
    out.push({ value, kind, start: m.index, end: m.index + m[0].length, text: m[0] });

  // percentages: "15%", "15 %", "15 phần trăm"
  eachFree(text, new RegExp(`(${NUM})\\s*(?:%|phần\\s+trăm)`, 'giu'), claims, (m) => {
    const v = viNumber(m[1]!);
    if (v === undefined) return false;
    push(m, v, 'percent');
  });
  // magnitudes, possibly chained and compounded: "1 tỷ 200 triệu", "2,5 tỷ", "300 nghìn", "hai triệu", "15 nghìn tỷ" (10¹³)
  const word = `(?:${NUM}|${Object.keys(viSmallWords).join('|')})`;
  const mags = `(?:${MAG})(?:\\s+(?:${MAG}))*`;
  eachFree(text, new RegExp(`(?<![\\p{L}\\d])${word}\\s+${mags}(?:\\s+(?:${NUM})\\s+${mags})*(?![\\p{L}])`, 'giu'), claims, (m) => {
    let total = 0;
    for (const part of m[0].matchAll(new RegExp(`(${word})\\s+(${mags})`, 'giu'))) {
      const v = viNumber(part[1]!);
      if (v === undefined) return false;
      total += v * part[2]!.toLowerCase().split(/\s+/).reduce((x, w) => x * viMagnitude[w]!, 1);
    }
    push(m, Math.round(total * 1e6) / 1e6, 'number');
  });
  // ordinals: "thứ 3", "lần thứ 13"
  eachFree(text, /(?<=\bthứ\s+)(\d+)(?!\d)/giu, claims, (m) => { push(m, +m[1]!, 'ordinal'); });
  // Roman numerals: after a word that takes them ("khóa XI", "Quý I", "thế kỷ XXI"), or of two or more I/V/X letters
  eachFree(text, /(?<![\p{L}\d])([IVXLCDM]+)(?![\p{L}\d])/gu, claims, (m) => {
    const v = romanValue(m[1]!);
    if (v === undefined) return false;
    const cue = /(khóa|khoá|quý|thế\s+kỷ|lần|kỳ|kì|đại\s+hội|hội\s+nghị|phần|chương|hạng|loại|cấp|nhóm|vùng|quân\s+khu|giai\s+đoạn|thứ)\s*$/i.test(text.slice(Math.max(0, m.index - 14), m.index));
    if (!cue && !/^[IVX]{2,}$/.test(m[1]!)) return false;
    push(m, v, 'roman');
  });
  // plain numbers
  eachFree(text, new RegExp(`(${NUM})`, 'gu'), claims, (m) => {
    const v = viNumber(m[1]!);
    if (v === undefined) return false;
    push(m, v, 'number');
  });
}
