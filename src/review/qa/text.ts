/**
 * Turning HTML or plain text into the plain text the checks read: tags removed, entities decoded,
 * one block (paragraph, heading, list item) per "\n\n"-separated stretch, NFC. And folding: the
 * form of a word without case or diacritics, so "Võ Văn Thưởng" and "Vo Van Thuong" compare equal.
 */
import { rememberRecent } from '../../core/recent.ts';
import type { TextSide } from './types.ts';

const blockTags = /^(p|div|h[1-6]|li|blockquote|figcaption|tr|td|th|dd|dt|pre|section|article|header|footer|ul|ol|table|figure)$/i;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return named[e.toLowerCase()] ?? m;
  });
}

export const looksLikeHtml = (s: string) => /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/i.test(s);

/** Splits into blocks: HTML by block-level tags and <br>, plain text by blank lines. */
export const toBlocks = rememberRecent(splitText, (blocks) => blocks.slice());

function splitText(raw: string): string[] {
  const text = raw.normalize('NFC');
  let parts: string[];
  if (looksLikeHtml(text)) {
    const marked = text
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (tag, name: string) => (blockTags.test(name) ? '\u0000' : name.toLowerCase() === 'br' ? '\u0000' : ''));
    parts = decodeEntities(marked).split('\u0000');
  } else {
    parts = text.split(/\n\s*\n/);
  }
  return parts.map((p) => p.replace(/[\s\u00a0]+/g, ' ').trim()).filter(Boolean);
}

export function prepareSide(raw: string): TextSide {
  const blocks: { text: string; start: number }[] = [];
  let plain = '';
  for (const text of toBlocks(raw)) {
    if (plain) plain += '\n\n';
    blocks.push({ text, start: plain.length });
    plain += text;
  }
  return { raw, plain, blocks };
}

/** Lower case, no diacritics, đ → d: the form names and terms are compared in. Keeps length. */
export function fold(s: string): string {
  let out = '';
  for (const ch of s) out += foldChar(ch);
  return out;
}

// one entry per character ever folded (an alphabet or two): folding is on every page of the desk
const folded = new Map<string, string>();

function foldChar(ch: string): string {
  let c = folded.get(ch);
  if (c === undefined) {
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const lower = (ch === 'đ' || ch === 'Đ' ? 'd' : base.length === 1 ? base : ch).toLowerCase();
    c = lower.length === ch.length ? lower : ch.toLowerCase();
    if (folded.size < 20_000) folded.set(ch, c);
  }
  return c;
}

/** Folding that also drops spaces, hyphens and apostrophes ("Hà Nội" ~ "Hanoi", "Ha-noi"). */
export const squash = (s: string) => fold(s).replace(/[\s\-‐–'’.]+/g, '');

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Vietnamese letters (any case) that other Latin-script languages do not use. */
export const vietnameseOnly = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹĂĐƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊĨỌỎỐỒỔỖỘỚỜỞỠỢỤỦŨỨỪỬỮỰỲỴỶỸ]/;

/** Base language of a BCP 47 tag. */
export const baseLang = (tag: string) => tag.split(/[-_]/)[0]!.toLowerCase();
