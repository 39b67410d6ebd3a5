/**
 * Markup: the links of the source (their URLs), URLs written in the text, images, and inline tags
 * (bold, italic, lists, quotes) are kept in the translation; the translation's tags are balanced.
 */
import { decodeEntities, looksLikeHtml } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

const voidTags = new Set(['br', 'img', 'hr', 'wbr', 'source', 'input', 'meta', 'link']);
const counted = ['a', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'table', 'img', 'figure', 'sup', 'sub', 'code'];

interface Markup { links: string[]; images: string[]; textUrls: string[]; tags: Map<string, number>; unbalanced: string[] }

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim() : undefined;
}

const normalizeUrl = (u: string) => u.replace(/\/+$/, '').replace(/^https?:\/\/(www\.)?/i, '').toLowerCase();

export function readMarkup(raw: string): Markup {
  const m: Markup = { links: [], images: [], textUrls: [], tags: new Map(), unbalanced: [] };
  const html = looksLikeHtml(raw);
  const stack: string[] = [];
  if (html) {
    for (const t of raw.matchAll(/<(\/?)([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
      const name = t[2]!.toLowerCase();
      const closing = t[1] === '/';
      if (!closing) {
        m.tags.set(name, (m.tags.get(name) ?? 0) + 1);
        if (name === 'a') { const href = attr(t[0], 'href'); if (href) m.links.push(href); }
        if (name === 'img') { const src = attr(t[0], 'src'); if (src) m.images.push(src); }
        if (!voidTags.has(name) && !t[3]!.trim().endsWith('/')) stack.push(name);
      } else {
        const at = stack.lastIndexOf(name);
        if (at < 0) m.unbalanced.push(`</${name}>`);
        else {
          for (const open of stack.splice(at)) if (open !== name && open !== 'p' && open !== 'li') m.unbalanced.push(`<${open}>`);
        }
      }
    }
    for (const open of stack) if (open !== 'p' && open !== 'li') m.unbalanced.push(`<${open}>`);
  }
  const text = html ? decodeEntities(raw.replace(/<[^>]*>/g, ' ')) : raw;
  for (const u of text.matchAll(/\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi)) m.textUrls.push(u[0]);
  for (const u of text.matchAll(/(?<![\w@/.])(?:www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s<>"')\]]*[^\s<>"')\].,;:!?])?/gi)) m.textUrls.push(u[0]);
  return m;
}

export const markupCheck: Check = (p) => {
  const issues: QaIssue[] = [];
  const src = readMarkup(p.source.raw);
  const tgt = readMarkup(p.target.raw);
  const tgtLinks = new Set([...tgt.links, ...tgt.textUrls].map(normalizeUrl));
  const srcLinks = new Set([...src.links, ...src.textUrls].map(normalizeUrl));
  const at = (side: 'source' | 'target', needle: string) => {
    const plain = side === 'source' ? p.source.plain : p.target.plain;
    const i = plain.indexOf(needle);
    return i >= 0 ? { [side]: span(plain, i, i + needle.length) } : {};
  };
  for (const href of new Set(src.links)) {
    if (!tgtLinks.has(normalizeUrl(href))) issues.push({ check: 'markup', severity: 'error', code: 'markup.linkMissing', params: { url: href }, message: `the link to ${href} is missing from the translation` });
  }
  for (const url of new Set(src.textUrls)) {
    if (!tgtLinks.has(normalizeUrl(url))) issues.push({ check: 'markup', severity: 'error', code: 'markup.addressMissing', params: { url }, message: `the address ${url} is missing or changed in the translation`, ...at('source', url) });
  }
  for (const img of new Set(src.images)) {
    if (!tgt.images.includes(img)) issues.push({ check: 'markup', severity: 'error', code: 'markup.imageMissing', params: { url: img }, message: `the image ${img} is missing from the translation` });
  }
  for (const href of new Set(tgt.links)) {
    if (!srcLinks.has(normalizeUrl(href))) issues.push({ check: 'markup', severity: 'warning', code: 'markup.linkExtra', params: { url: href }, message: `the translation links to ${href}, which the source does not` });
  }
  for (const url of new Set(tgt.textUrls)) {
    if (!srcLinks.has(normalizeUrl(url))) issues.push({ check: 'markup', severity: 'warning', code: 'markup.addressExtra', params: { url }, message: `the address ${url} is not in the source`, ...at('target', url) });
  }
  if (looksLikeHtml(p.source.raw) && looksLikeHtml(p.target.raw)) {
    for (const tag of counted) {
      const a = src.tags.get(tag) ?? 0, b = tgt.tags.get(tag) ?? 0;
      if (tag === 'a' || tag === 'img' || a === b) continue;
      issues.push({ check: 'markup', severity: 'warning', code: 'markup.tagCount', params: { tag: `<${tag}>`, source: a, target: b }, message: `the source has ${a} <${tag}> element(s), the translation ${b}` });
    }
  }
  for (const bad of new Set(tgt.unbalanced)) issues.push({ check: 'markup', severity: 'error', code: bad.startsWith('</') ? 'markup.closesNothing' : 'markup.neverClosed', params: { tag: bad }, message: `the translation's markup is broken: ${bad.startsWith('</') ? `${bad} closes nothing` : `${bad} is never closed`}` });
  return issues;
};
