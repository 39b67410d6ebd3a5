/**
 * Markup: the links of the source (their URLs), URLs written in the text, images, and inline tags
 * (bold, italic, lists, quotes) are kept in the translation; the translation's tags are balanced.
 * Structure is compared element by element, in order: each table's rows and cells, each list's
 * items, each figure's caption, each image's alt text; what is missing is named.
 */
import { parseHTML } from 'linkedom';
import { decodeEntities, looksLikeHtml, toBlocks } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

const voidTags = new Set(['br', 'img', 'hr', 'wbr', 'source', 'input', 'meta', 'link']);
// counted for a warning; tables, lists and figures are compared as structures below
const counted = ['a', 'strong', 'b', 'em', 'i', 'u', 'blockquote', 'img', 'sup', 'sub', 'code'];

interface Structure {
  tables: { cells: number[]; first: string }[];
  lists: { tag: string; items: number; first: string }[];
  figures: { image: string; caption: string }[];
  images: { src: string; alt: string }[];
}

const plainOf = (el: Element | null | undefined) => (el ? toBlocks(el.innerHTML).join(' ') : '');

export function readStructure(raw: string): Structure {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${raw}</body></html>`);
  const all = (sel: string, root: ParentNode = document) => Array.from(root.querySelectorAll(sel)) as Element[];
  // a nested table's or list's rows belong to it, not to the outer one
  const own = (el: Element, sel: string, owner: string) => all(sel, el).filter((x) => x.parentElement?.closest(owner) === el);
  return {
    tables: all('table').map((t) => {
      const rows = all('tr', t).filter((r) => r.closest('table') === t);
      return { cells: rows.map((r) => all('td, th', r).filter((c) => c.closest('tr') === r).length), first: plainOf(all('td, th', t)[0]) };
    }),
    lists: all('ul, ol').map((l) => {
      const items = own(l, 'li', 'ul, ol');
      return { tag: l.tagName.toLowerCase(), items: items.length, first: plainOf(items[0]) };
    }),
    figures: all('figure').map((f) => ({ image: all('img', f)[0]?.getAttribute('src') ?? '', caption: plainOf(all('figcaption', f)[0]) })),
    images: all('img').map((i) => ({ src: i.getAttribute('src') ?? '', alt: (i.getAttribute('alt') ?? '').trim() })),
  };
}

const shape = (cells: number[]) => `${cells.length} row(s) (${cells.join(', ')} cells)`;

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
  if (looksLikeHtml(p.source.raw) && /<(table|ul|ol|figure|img)\b/i.test(p.source.raw)) issues.push(...structureIssues(p, at));
  for (const bad of new Set(tgt.unbalanced)) issues.push({ check: 'markup', severity: 'error', code: bad.startsWith('</') ? 'markup.closesNothing' : 'markup.neverClosed', params: { tag: bad }, message: `the translation's markup is broken: ${bad.startsWith('</') ? `${bad} closes nothing` : `${bad} is never closed`}` });
  return issues;
};

function structureIssues(p: Parameters<Check>[0], at: (side: 'source' | 'target', needle: string) => object): QaIssue[] {
  const issues: QaIssue[] = [];
  const src = readStructure(p.source.raw);
  const tgt = readStructure(looksLikeHtml(p.target.raw) ? p.target.raw : '');
  src.tables.forEach((t, i) => {
    const n = i + 1, u = tgt.tables[i];
    const where = t.first ? at('source', t.first) : {};
    if (!u) {
      issues.push({ check: 'markup', severity: 'error', code: 'markup.tableMissing', params: { n, rows: t.cells.length, cells: t.cells.join(', ') }, message: `table ${n} of the source (${shape(t.cells)}) is missing from the translation`, ...where });
      return;
    }
    const row = t.cells.findIndex((c, r) => u.cells[r] !== c);
    if (row >= 0 || u.cells.length !== t.cells.length) {
      const r = row >= 0 ? row : t.cells.length;
      issues.push({ check: 'markup', severity: 'error', code: 'markup.tableShape', params: { n, row: r + 1, sourceRows: t.cells.length, sourceCells: t.cells.join(', '), targetRows: u.cells.length, targetCells: u.cells.join(', ') }, message: `table ${n} has ${shape(t.cells)} in the source, ${shape(u.cells)} in the translation (from row ${r + 1})`, ...where });
    }
  });
  src.lists.forEach((l, i) => {
    const n = i + 1, u = tgt.lists[i];
    const where = l.first ? at('source', l.first) : {};
    if (!u) issues.push({ check: 'markup', severity: 'error', code: 'markup.listMissing', params: { n, items: l.items }, message: `list ${n} of the source (${l.items} items) is missing from the translation`, ...where });
    else if (u.items !== l.items) issues.push({ check: 'markup', severity: 'error', code: 'markup.listItems', params: { n, source: l.items, target: u.items }, message: `list ${n} has ${l.items} items in the source, ${u.items} in the translation`, ...where });
  });
  src.figures.forEach((f, i) => {
    const u = tgt.figures[i];
    if (f.caption && !u?.caption) issues.push({ check: 'markup', severity: 'error', code: 'markup.captionMissing', params: { url: f.image }, message: `the caption of the figure with ${f.image || 'no image'} is missing from the translation`, ...at('source', f.caption) });
  });
  for (const img of src.images) {
    const u = tgt.images.find((x) => x.src === img.src);
    if (u && img.alt && !u.alt) issues.push({ check: 'markup', severity: 'warning', code: 'markup.altMissing', params: { url: img.src }, message: `the image ${img.src} has no alt text in the translation` });
  }
  return issues;
}
