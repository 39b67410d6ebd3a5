/**
 * Reads dates, times and quantities in a translation, in the conventions of its language
 * (languages.ts): "2 August 2017", "August 2", "25-28 May", "3:20 p.m.", "1,234.5", "five years",
 * "11th", "XI", "2.5 billion"; in French "1 234,5", "deux milliards", "XIe", "du 25 au 28 mai";
 * in Russian "12 ноября 2026 года", "3,7 млрд" (lang/ru.ts). Chinese, Japanese and Korean go to
 * lang/cjk.ts with their own forms (lang/zh.ts, ja.ts, ko.ts).
 */
import { digitsOnly, languageTable, type LanguageTable } from './languages.ts';
import { Claims, eachFree, parseDigits, romanValue, type DateMention, type Quantity, type Scan, type TimeMention } from './mentions.ts';
import { scanCjk, type CjkForms } from './lang/cjk.ts';
import { asciiDigits } from './lang/digits.ts';
import { ja } from './lang/ja.ts';
import { ko } from './lang/ko.ts';
import { zh } from './lang/zh.ts';
import { escapeRegExp } from './text.ts';

const alternation = (words: string[]) => words.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
const NB = '(?<![\\p{L}\\d])';
const NA = '(?![\\p{L}\\d])';

const cjk: Record<string, CjkForms> = { zh, ja, ko };

// the patterns built from a language's table, built once per table and pattern: the checks read
// every block of every draft the desk opens (eachFree starts each search from the beginning)
const compiled = new WeakMap<LanguageTable, Map<number, RegExp>>();
function pattern(L: LanguageTable, id: number, build: () => RegExp): RegExp {
  let patterns = compiled.get(L);
  if (!patterns) compiled.set(L, (patterns = new Map()));
  let re = patterns.get(id);
  if (!re) patterns.set(id, (re = build()));
  return re;
}

/** Whether dates and spelt numbers are read in this language's own forms (else digits and times only). */
export const readsLanguage = (lang: string) => languageTable(lang) !== undefined || cjk[lang] !== undefined;

export function scanTarget(raw: string, lang: string): Scan {
  const text = asciiDigits(raw);
  if (cjk[lang]) return scanCjk(text, cjk[lang]);
  const table = languageTable(lang);
  const claims = new Claims();
  const dates: DateMention[] = [];
  const times: TimeMention[] = [];
  const quantities: Quantity[] = [];
  if (table) scanDates(text, table, lang, claims, dates);
  scanTimes(text, claims, times);
  scanQuantities(text, table ?? digitsOnly, claims, quantities);
  return { dates, times, quantities };
}

function scanDates(text: string, L: LanguageTable, lang: string, claims: Claims, out: DateMention[]) {
  const M = () => `(${alternation(Object.keys(L.months))})\\.?`;
  const S = `(?:${L.ordinalSuffix})?`;
  const OF = '(?:\\s+(?:of|de|del)\\s+|\\s+)';
  const YR = '(?:,?\\s+(?:de\\s+|del\\s+)?(\\d{4}))?';
  const month = (s: string) => L.months[s.toLowerCase().replace(/\.$/, '')];
  const add = (m: RegExpExecArray, day: number | undefined, mo: number | undefined, year: string | undefined) =>
    out.push({ day, month: mo, year: year ? Number(year) : undefined, start: m.index, end: m.index + m[0].length, text: m[0] });

  // "25-28 May 2026", "from 25 to 28 May", "du 25 au 28 mai"
  eachFree(text, pattern(L, 1, () => new RegExp(`${NB}(\\d{1,2}|1er)${S}\\s*(?:${L.rangeWords})\\s*(?:the\\s+|le\\s+|el\\s+)?(\\d{1,2})${S}${OF}${M()}${YR}${NA}`, 'giu')), claims, (m) => {
    const mo = month(m[3]!), d1 = parseInt(m[1]!, 10), d2 = +m[2]!;
    if (!mo || d1 >= d2 || d2 > 31) return false;
    add(m, d1, mo, m[4]);
    add(m, d2, mo, m[4]);
  });
  // "May 25-28, 2026"
  eachFree(text, pattern(L, 2, () => new RegExp(`${NB}${M()}\\s+(\\d{1,2})${S}\\s*(?:-|–|to|through|and)\\s*(\\d{1,2})${S}${YR}${NA}`, 'giu')), claims, (m) => {
    const mo = month(m[1]!), d1 = +m[2]!, d2 = +m[3]!;
    if (!mo || d1 >= d2 || d2 > 31 || !/^\p{Lu}/u.test(m[1]!)) return false;
    add(m, d1, mo, m[4]);
    add(m, d2, mo, m[4]);
  });
  // "2 August 2017", "2nd of August", "1er août", "4 de agosto de 2017"
  eachFree(text, pattern(L, 3, () => new RegExp(`${NB}(\\d{1,2}|1er)${S}${OF}${M()}${YR}${NA}`, 'giu')), claims, (m) => {
    const mo = month(m[2]!), day = parseInt(m[1]!, 10);
    if (!mo || day < 1 || day > 31) return false;
    add(m, day, mo, m[3]);
  });
  // "August 2, 2017", "Aug. 2"
  if (lang === 'en') {
    eachFree(text, pattern(L, 4, () => new RegExp(`${NB}${M()}\\s+(\\d{1,2})${S}(?!\\d)${YR}${NA}`, 'giu')), claims, (m) => {
      const mo = month(m[1]!), day = +m[2]!;
      if (!mo || day < 1 || day > 31 || !/^\p{Lu}/u.test(m[1]!)) return false;
      add(m, day, mo, m[3]);
    });
  }
  // ISO dates
  eachFree(text, /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g, claims, (m) => {
    const mo = +m[2]!, day = +m[3]!;
    if (mo < 1 || mo > 12 || day < 1 || day > 31) return false;
    add(m, day, mo, m[1]);
  });
  // numeric "10/9/2008": read day first, as the source does
  eachFree(text, /(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?![\d/])/g, claims, (m) => {
    const day = +m[1]!, mo = +m[3]!;
    if (mo < 1 || mo > 12 || day < 1 || day > 31) return false;
    add(m, day, mo, m[4]);
    out.at(-1)!.numeric = true;
  });
  // a month alone or with a year: "in October", "October 2017", "en octobre"; full names only
  // the longest form of each month ("sept" is also French for seven); English "May" is handled below
  const full = () => L.allMonthForms ? Object.keys(L.months) : [...new Set(Object.values(L.months))].map((mo) => Object.keys(L.months).filter((k) => L.months[k] === mo).sort((a, b) => b.length - a.length)[0]!).filter((k) => k !== 'may');
  eachFree(text, pattern(L, 5, () => new RegExp(`${NB}(${alternation(full())})(?:\\s+(?:of\\s+|de\\s+)?(\\d{4}))?${NA}`, 'giu')), claims, (m) => {
    const name = m[1]!;
    if (lang === 'en' && !/^\p{Lu}/u.test(name)) return false;
    // "May" is also a verb: a month only with a year or after "in", "of", "since", "early", "late"…
    if (lang === 'en' && name === 'May' && !m[2] && !/(in|of|since|until|by|early|mid|late|last|next|this|before|after|from|to|through|end of)[\s-]*$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) return false;
    add(m, undefined, month(name), m[2]);
  });
  // "May" also fills the short list above for English
  if (lang === 'en') {
    eachFree(text, /(?<![\p{L}\d])May(?:\s+(\d{4}))?(?![\p{L}\d])/gu, claims, (m) => {
      if (!m[1] && !/(in|of|since|until|by|early|mid|late|last|next|this|before|after|from|to|through|end of)[\s-]*$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) return false;
      add(m, undefined, 5, m[1]);
    });
  }
}

function scanTimes(text: string, claims: Claims, out: TimeMention[]) {
  const push = (m: RegExpExecArray, hour: number, minute: number, ambiguous: boolean) =>
    out.push({ minutes: (hour % 24) * 60 + minute, twelveHourAmbiguous: ambiguous, start: m.index, end: m.index + m[0].length, text: m[0] });
  // "3:20 p.m.", "3.20pm", "3 p.m."
  eachFree(text, /(?<![\d.,:])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m(?![\p{L}])\.?/giu, claims, (m) => {
    let hour = +m[1]!;
    const minute = m[2] ? +m[2] : 0;
    if (hour < 1 || hour > 12 || minute > 59) return false;
    if (m[3]!.toLowerCase() === 'p' && hour < 12) hour += 12;
    if (m[3]!.toLowerCase() === 'a' && hour === 12) hour = 0;
    push(m, hour, minute, false);
  });
  // "noon", "midnight", "midi", "minuit"
  eachFree(text, /(?<![\p{L}])(noon|midday|midi|mediodía)(?![\p{L}])/giu, claims, (m) => { push(m, 12, 0, false); });
  eachFree(text, /(?<![\p{L}])(midnight|minuit|medianoche)(?![\p{L}])/giu, claims, (m) => { push(m, 0, 0, false); });
  // "15:20", "15h20", "15 h 20", "15 heures 20", "15.20 horas"
  eachFree(text, /(?<![\d.,:/])(\d{1,2})(?:(:)(\d{2})|\s?(h|heures?|horas?)\s?(\d{2})?|\.(\d{2})\s*(?=horas))(?![\d\p{L}])/giu, claims, (m) => {
    const hour = +m[1]!;
    const minute = Number(m[3] ?? m[5] ?? m[6] ?? 0);
    if (hour > 24 || minute > 59) return false;
    // a bare "5 hours" is a duration
    if (m[4] && !m[5] && /^hours?$/i.test(m[4])) return false;
    push(m, hour, minute, m[2] === ':' && hour >= 1 && hour <= 12);
  });
}

function scanQuantities(text: string, L: LanguageTable, claims: Claims, out: Quantity[]) {
  const push = (m: RegExpExecArray, value: number, kind: Quantity['kind'], extra: Partial<Quantity> = {}) =>
    out.push({ value, kind, start: m.index, end: m.index + m[0].length, text: m[0], ...extra });
  const thousands = L.thousands.map((t) => (t === ' ' ? ' ' : escapeRegExp(t))).join('');
  const dec = escapeRegExp(L.decimal);
  // digits in this language's format; also what a Vietnamese-format number left unconverted looks like
  const NUM = () => `\\d+(?:[.,]\\d+)+|\\d{1,3}(?:[${thousands}]\\d{3})+(?:${dec}\\d+)?|\\d+`;
  const read = (s: string): { value: number; viReading?: number | undefined } | undefined => {
    let value: number | undefined;
    for (const t of L.thousands) {
      value = parseDigits(s, t, L.decimal);
      if (value !== undefined) break;
    }
    const vi = parseDigits(s, '.', ',');
    if (value === undefined) return vi === undefined ? undefined : { value: NaN, viReading: vi };
    return { value, viReading: vi !== undefined && vi !== value ? vi : undefined };
  };
  const words = [...Object.keys(L.cardinals), ...Object.keys(L.magnitudes)];
  const MAG = () => alternation(Object.keys(L.magnitudes));
  const WORD = () => (words.length ? alternation(words) : '(?!)');
  const joiner = L.joiners.length ? `|\\s+(?:${L.joiners.join('|')})\\s+` : '';

  // percentages
  eachFree(text, pattern(L, 6, () => new RegExp(`(${NUM()})(?:${L.percentWords})`, 'giu')), claims, (m) => {
    const r = read(m[1]!);
    if (!r) return false;
    push(m, r.value, 'percent', { viReading: r.viReading });
  });
  // digits with a magnitude word: "2.5 billion", "VND2 billion", "300 thousand", "5bn"
  if (Object.keys(L.magnitudes).length) {
    eachFree(text, pattern(L, 7, () => new RegExp(`(${NUM()})\\s*(${MAG()})${NA}`, 'giu')), claims, (m) => {
      const r = read(m[1]!);
      if (!r) return false;
      const mult = L.magnitudes[m[2]!.toLowerCase()]!;
      push(m, Math.round(r.value * mult * 1e6) / 1e6, 'number', { viReading: r.viReading !== undefined ? r.viReading * mult : undefined });
    });
  }
  // digit ordinals "11th", "1er", "XIe"
  eachFree(text, pattern(L, 8, () => new RegExp(`(?<!\\d)(\\d+)(?:${L.ordinalSuffix})${NA}`, 'gu')), claims, (m) => { push(m, +m[1]!, 'ordinal'); });
  eachFree(text, pattern(L, 9, () => new RegExp(`${NB}([IVXLCDM]+)(?:${L.ordinalSuffix})?${NA}`, 'gu')), claims, (m) => {
    const v = romanValue(m[1]!);
    if (v === undefined) return false;
    // "XIe" is an ordinal; "Le", "Ce", "De", "Me" are words
    const suffixed = m[0].length > m[1]!.length && (/^[IVX]+$/.test(m[1]!) || m[1]!.length >= 2);
    const cue = /(tenure|term|congress|session|plenum|quarter|phase|part|chapter|class|zone|region|century|world war|legislature|législature|congrès|siècle|session|trimestre|pleno|legislatura|siglo)\s*(of\s+the\s+)?$/i.test(text.slice(Math.max(0, m.index - 20), m.index))
      || /^\s*(tenure|term|congress|plenum|century|siècle|législature|legislatura|siglo)/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 16));
    if (!suffixed && !cue && !/^[IVX]{2,}$/.test(m[1]!)) return false;
    push(m, v, 'roman');
  });
  // ordinal words, possibly compound: "twenty-first", "onzième"
  const ORD = () => (Object.keys(L.ordinals).length ? alternation(Object.keys(L.ordinals)) : '(?!)');
  eachFree(text, pattern(L, 10, () => new RegExp(`${NB}(?:(${WORD()})-)?(${ORD()})${NA}`, 'giu')), claims, (m) => {
    const head = m[1] ? L.cardinals[m[1].toLowerCase()] ?? 0 : 0;
    if (m[1] && (head < 20 || head >= 100)) return false;
    push(m, head + L.ordinals[m[2]!.toLowerCase()]!, 'ordinal', { weak: /^(second|seconde|segundo|segunda)$/i.test(m[0]) });
  });
  // spelt numbers: "five", "twenty-five", "one hundred and twenty", "deux milliards", "quatre-vingt-dix"
  if (words.length) {
    eachFree(text, pattern(L, 11, () => new RegExp(`${NB}(?:${WORD()})(?:(?:[\\s-]+${joiner})(?:${WORD()}))*${NA}`, 'giu')), claims, (m) => {
      const tokens = m[0].toLowerCase().split(/[\s-]+/).filter((t) => !L.joiners.includes(t));
      const value = spelt(tokens, L);
      if (value === undefined) return false;
      const weak = tokens.length === 1 && L.weak.includes(tokens[0]!);
      // "a"/"an" count only before hundred, thousand, million…
      if (weak && tokens[0]!.length <= 2 && L === languageTable('en')) return false;
      push(m, value, 'words', { weak });
    });
  }
  // plain digits
  eachFree(text, pattern(L, 12, () => new RegExp(`(${NUM()})`, 'gu')), claims, (m) => {
    const r = read(m[1]!);
    if (!r) return false;
    push(m, r.value, 'number', { viReading: r.viReading });
  });
}

/** The value of a sequence of number words, or undefined when it is not one number. */
function spelt(tokens: string[], L: LanguageTable): number | undefined {
  let total = 0;
  let current = 0;
  let prev = -1;
  let chunk = 0;
  let afterMagnitude = false;
  for (const t of tokens) {
    const mag = L.magnitudes[t];
    const v = L.cardinals[t];
    const chained = afterMagnitude;
    afterMagnitude = mag !== undefined;
    if (mag !== undefined && chained) {
      // "mil millones", "mille milliards": a magnitude of a magnitude
      total += chunk * (mag - 1);
      chunk *= mag;
      prev = mag;
    } else if (mag !== undefined) {
      chunk = (current || 1) * mag;
      total += chunk;
      current = 0;
      prev = mag;
    } else if (v === 100) {
      current = (current || 1) * 100;
      prev = 100;
    } else if (v === 20 && prev >= 2 && prev <= 9 && current === prev) {
      current *= 20; // "quatre-vingts"
      prev = 20;
    } else if (v !== undefined) {
      current += v;
      prev = v;
    } else return undefined;
  }
  return total + current;
}
