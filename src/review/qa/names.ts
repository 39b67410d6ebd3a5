/**
 * Names: the people named in the source appear in the translation, with or without diacritics
 * ("Võ Văn Thưởng" ↔ "Vo Van Thuong"), and places too ("Hà Nội" ↔ "Hanoi"). A name is two to
 * four capitalised syllables after a title ("đồng chí", "ông", "Thủ tướng"…) or three to four
 * starting with a common family name. Names that are glossary terms are left to the glossary.
 * In Cyrillic the name is looked for as Russian practice transliterates it (lang/cyrillic.ts); in
 * Han, kana, Hangul and other scripts it cannot be known without the glossary, so a name not found
 * there is a warning, never a blocking error.
 */
import { findTerms } from './glossary.ts';
import { cyrillicKey, cyrillicLanguages, cyrillicName } from './lang/cyrillic.ts';
import { squash } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

const surnames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Lương', 'Trương', 'Lâm', 'Đào', 'Mai', 'Cao', 'Tô', 'Hà', 'Tạ', 'Trịnh', 'Đoàn', 'Vương', 'Chu', 'Thái', 'Kiều', 'Lưu', 'Triệu', 'Nông', 'Tôn', 'Quách', 'La', 'Lại', 'Đàm', 'Giáp', 'Khổng', 'Mạc', 'Nghiêm', 'Phùng', 'Thân', 'Tống', 'Từ', 'Âu'];
const titles = [
  'đồng chí', 'Đồng chí', 'ông', 'Ông', 'bà', 'Bà', 'anh', 'chị', 'Thủ tướng', 'Phó Thủ tướng', 'Chủ tịch', 'Phó Chủ tịch', 'Tổng Bí thư', 'Bí thư',
  'Bộ trưởng', 'Thứ trưởng', 'Đại sứ', 'Tổng thống', 'Thủ tướng Chính phủ', 'Chủ tịch nước', 'Chủ tịch Quốc hội', 'Giáo sư', 'Tiến sĩ',
  'Người phát ngôn', 'Trưởng ban', 'Phó Trưởng ban', 'Giám đốc', 'Đại tướng', 'Thượng tướng', 'Trung tướng', 'Thiếu tướng', 'nhà báo',
  'GS', 'TS', 'PGS', 'ThS', 'Ngài', 'Tổng Thư ký', 'Quốc vương', 'Nhà vua', 'Nữ hoàng', 'Hoàng tử', 'Công chúa',
];
const SYL = '\\p{Lu}[\\p{Ll}\\p{M}]*';
// spaces within a block only: blocks are separated by "\n\n", and a title ending in "Hà Nội" does not run into "Chiều 28/11"
const SP = '[^\\S\\n]+';
const titleRe = new RegExp(`(?<![\\p{L}])(?:${titles.sort((a, b) => b.length - a.length).join('|')})${SP}(${SYL}(?:${SP}${SYL}){1,3})(?![\\p{L}])`, 'gu');
const surnameRe = new RegExp(`(?<![\\p{L}])((?:${surnames.join('|')})(?:${SP}${SYL}){2,3})(?![\\p{L}])`, 'gu');
// words that start a phrase after a title but are not names ("Bộ trưởng Bộ Ngoại giao")
const notName = /^(Nhật|Hàn|Hoa|Mỹ|Pháp|Nga|Đức|Lào|Ấn|Thái|Úc|Anh|Ý|Canada|Singapore|Campuchia|Indonesia|Malaysia|Philippines|Cuba|Brazil|Bộ|Ban|Ủy|Uỷ|Hội|Trung|Văn|Quốc|Chính|Đảng|Nhà|Thành|Tỉnh|Sở|Cục|Viện|Tổng|Phó|Thường|Mặt|Liên|Đoàn|Học|Đại|Công|Thông|Chủ|Hợp|Cộng|Nước|Việt|Tòa|Toà|Kiểm|Ngân|Bảo|Quân)$/u;

/** `sure`: three or more syllables, the Vietnamese pattern; two after a title may be a foreign name or a place. */
export interface NameMention { name: string; start: number; end: number; sure: boolean }

export function findNames(text: string): NameMention[] {
  const found: NameMention[] = [];
  const add = (name: string, start: number, sure: boolean) => {
    if (found.some((f) => start < f.end && start + name.length > f.start)) return;
    found.push({ name, start, end: start + name.length, sure });
  };
  for (const m of text.matchAll(titleRe)) {
    const name = m[1]!;
    if (notName.test(name.split(/\s+/)[0]!)) continue;
    add(name, m.index + m[0].length - name.length, name.split(/\s+/).length >= 3);
  }
  for (const m of text.matchAll(surnameRe)) {
    const words = m[1]!.split(/\s+/);
    if (words.slice(1).some((w) => notName.test(w))) continue;
    add(m[1]!, m.index, true);
  }
  return found.sort((a, b) => a.start - b.start);
}

// targets in scripts where a Vietnamese name cannot be matched letter by letter (Cyrillic is transliterated)
const otherScripts = new Set(['zh', 'ja', 'ko', 'th', 'lo', 'km', 'my', 'ar', 'he', 'hi', 'ka', 'hy', 'el']);

/**
 * Whether any part of the name is in a Cyrillic translation: a word that begins with one of its
 * syllables as Russian writes them (a case ending may follow: "Шона"), or in Latin letters. Only
 * syllables of three letters or more count; shorter ones begin too many words.
 */
function traceOf(name: string, expected: string, target: string): boolean {
  const words = target.split(/[^\p{L}]+/u).filter(Boolean);
  const cyr = words.map(cyrillicKey);
  const latin = words.map((w) => squash(w));
  const parts = expected.split(/\s+/).map(cyrillicKey).filter((k) => k.length >= 3);
  const latinParts = name.split(/\s+/).map((w) => squash(w)).filter((k) => k.length >= 3);
  if (!parts.length && !latinParts.length) return true; // nothing long enough to look for: not a judgement to make
  return parts.some((k) => cyr.some((w) => w.startsWith(k))) || latinParts.some((k) => latin.some((w) => w.startsWith(k)));
}

export const namesCheck: Check = (p) => {
  if (p.targetLang === 'vi') return [];
  const issues: QaIssue[] = [];
  const target = squash(p.target.plain);
  const cyrillic = cyrillicLanguages.has(p.targetLang) ? cyrillicKey(p.target.plain) : undefined;
  const glossaryHits = findTerms(p.source.plain, p.glossary);
  const done = new Set<string>();
  for (const n of findNames(p.source.plain)) {
    const key = squash(n.name);
    if (done.has(key)) continue;
    done.add(key);
    // a name the glossary gives (its "names" entries) is the glossary check's to require
    if (glossaryHits.some((h) => n.start < h.end && n.end > h.start)) continue;
    if (target.includes(key)) continue;
    const source = span(p.source.plain, n.start, n.end);
    if (cyrillic !== undefined) {
      const expected = cyrillicName(n.name);
      if (cyrillic.includes(cyrillicKey(expected))) continue;
      // a spelling of its own may differ from the usual form (a warning); no trace of any part of a sure name is a name left out
      if (n.sure && !traceOf(n.name, expected, p.target.plain)) {
        issues.push({ check: 'names', severity: 'error', code: 'names.absentCyrillic', params: { name: n.name, expected }, message: `the name "${n.name}" is not in the translation in any form (in Russian usually "${expected}")`, source });
        continue;
      }
      issues.push({ check: 'names', severity: 'warning', code: 'names.missingCyrillic', params: { name: n.name, expected }, message: `the name "${n.name}" is not in the translation as "${expected}" (the usual Russian form) nor in Latin letters: check it, or add it to the glossary's names`, source });
    } else if (otherScripts.has(p.targetLang)) {
      issues.push({ check: 'names', severity: 'warning', code: 'names.missingScript', params: { name: n.name }, message: `the name "${n.name}" cannot be checked in this script unless the glossary's names give its form: check it, or add it there`, source });
    } else {
      issues.push({ check: 'names', severity: n.sure ? 'error' : 'warning', code: 'names.missing', params: { name: n.name }, message: `the name "${n.name}" is not in the translation (written with or without diacritics)`, source });
    }
  }
  return issues;
};
