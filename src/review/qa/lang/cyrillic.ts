/**
 * Vietnamese names in Cyrillic, the Russian practice (Концевич's system, as the Russian press and
 * foreign ministry write them): Nguyễn → Нгуен, Xuân → Суан, Phúc → Фук, Thưởng → Тхыонг, Minh → Минь,
 * Chính → Тьинь, Trần → Чан. `cyrillicName` gives the expected form; `cyrillicKey` folds a Cyrillic
 * text so that the usual variants (э/е, ё/е, й/и, soft and hard signs) compare equal.
 */
import { fold } from '../text.ts';

const initials: [string, string][] = [
  ['ngh', 'нг'], ['ng', 'нг'], ['nh', 'нь'], ['ch', 'ть'], ['gh', 'г'], ['gi', 'з'], ['kh', 'кх'], ['ph', 'ф'], ['th', 'тх'], ['tr', 'ч'], ['qu', 'ку'],
  ['b', 'б'], ['c', 'к'], ['d', 'з'], ['đ', 'д'], ['g', 'г'], ['h', 'х'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['p', 'п'], ['r', 'з'], ['s', 'ш'], ['t', 'т'], ['v', 'в'], ['x', 'с'],
];
// rhymes without tone marks (â, ê, ô, ơ, ư, ă kept); tried longest first
const rhymes: [string, string][] = [
  ['ương', 'ыонг'], ['ươc', 'ыок'], ['ươn', 'ыон'], ['ươi', 'ыой'], ['ươu', 'ыоу'], ['ươm', 'ыом'], ['ươt', 'ыот'], ['ươp', 'ыоп'],
  ['uyên', 'уен'], ['uyêt', 'ует'], ['uyêc', 'уек'], ['iêng', 'иенг'], ['yêng', 'иенг'], ['uông', 'уонг'], ['oang', 'оанг'], ['oanh', 'оань'], ['uâng', 'уанг'],
  ['iên', 'иен'], ['iêt', 'иет'], ['iêu', 'иеу'], ['iêm', 'ием'], ['iêc', 'иек'], ['iêp', 'иеп'], ['yên', 'иен'], ['yêu', 'иеу'],
  ['uôn', 'уон'], ['uôc', 'уок'], ['uôi', 'уой'], ['uôt', 'уот'], ['uân', 'уан'], ['uât', 'уат'], ['uây', 'уай'], ['uyn', 'уин'], ['uynh', 'уинь'], ['uyt', 'уит'],
  ['oan', 'оан'], ['oat', 'оат'], ['oai', 'оай'], ['oay', 'оай'], ['oac', 'оак'], ['oăn', 'оан'], ['oăc', 'оак'], ['oen', 'оэн'],
  ['ưng', 'ынг'], ['ưc', 'ык'], ['ưu', 'ыу'], ['ưi', 'ый'], ['ưa', 'ыа'], ['ưn', 'ын'], ['ưt', 'ыт'], ['ưm', 'ым'],
  ['ang', 'анг'], ['ăng', 'анг'], ['âng', 'анг'], ['anh', 'ань'], ['ach', 'ать'], ['ênh', 'ень'], ['êch', 'еть'], ['inh', 'инь'], ['ich', 'ить'],
  ['ong', 'онг'], ['ông', 'онг'], ['ung', 'унг'], ['eng', 'энг'], ['ing', 'инг'],
  ['ai', 'ай'], ['ay', 'ай'], ['ây', 'ай'], ['ao', 'ао'], ['au', 'ау'], ['âu', 'ау'], ['eo', 'эо'], ['êu', 'еу'], ['iu', 'иу'], ['ia', 'иа'],
  ['oi', 'ой'], ['ôi', 'ой'], ['ơi', 'ой'], ['ua', 'уа'], ['uê', 'уэ'], ['ui', 'уй'], ['uy', 'уи'], ['oa', 'оа'], ['oe', 'оэ'], ['uơ', 'уо'],
  ['a', 'а'], ['ă', 'а'], ['â', 'а'], ['e', 'е'], ['ê', 'е'], ['i', 'и'], ['y', 'и'], ['o', 'о'], ['ô', 'о'], ['ơ', 'о'], ['u', 'у'], ['ư', 'ы'],
  ['ng', 'нг'], ['nh', 'нь'], ['ch', 'ть'], ['c', 'к'], ['m', 'м'], ['n', 'н'], ['p', 'п'], ['t', 'т'],
].sort((a, b) => b[0]!.length - a[0]!.length) as [string, string][];
// names the Russian press writes by tradition, not by the system
const traditional: Record<string, string> = { 'ho chi minh': 'Хо Ши Мин', 'ha noi': 'Ханой', 'viet nam': 'Вьетнам', 'hai phong': 'Хайфон' };

/** Tone marks off, the vowel letters kept: "Thưởng" → "thương". */
function withoutTones(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC');
}

function syllable(s: string): string {
  let rest = withoutTones(s);
  let out = '';
  // "gi" before a vowel is an initial; "gin" is g + in
  const init = initials.find(([l]) => rest.startsWith(l) && (l !== 'gi' || /^gi[aăâeêoôơuưy]/.test(rest)) && (l !== 'qu' || rest.length > 2));
  if (init) { out += init[1]; rest = rest.slice(init[0].length); }
  // "Giáp" → "Зяп": gi before a is зя
  if (init?.[0] === 'gi' && rest.startsWith('a')) { out = out.slice(0, -1) + 'зя'; rest = rest.slice(1); }
  while (rest) {
    const r = rhymes.find(([l]) => rest.startsWith(l));
    if (!r) return out + rest; // not Vietnamese: leave it
    out += r[1];
    rest = rest.slice(r[0].length);
  }
  return out;
}

export function cyrillicName(name: string): string {
  const known = traditional[fold(name).replace(/[\s-]+/g, ' ').trim()];
  if (known) return known;
  return name.split(/\s+/).map((w) => { const c = syllable(w); return c.charAt(0).toUpperCase() + c.slice(1); }).join(' ');
}

/** A Cyrillic text folded for comparing names: lower case, no spaces or hyphens, е/э/ё and и/й/ы-after-vowel alike, no soft signs. */
export const cyrillicKey = (s: string) => s.toLowerCase().replace(/[ёэ]/g, 'е').replace(/й/g, 'и').replace(/[ьъ]/g, '').replace(/[\s\-‐–'’.]+/g, '');

export const cyrillicLanguages = new Set(['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'ky', 'mn', 'tg']);
