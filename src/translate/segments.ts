/**
 * A story as segments (title, lead, each body block, each image's alt text) and back. Inline
 * markup survives machine translation, with tag handling or without, as markers: a link's or a
 * bold/italic span's text is marked ⟦n⟧…⟦/n⟧ and what it stands for stays in `links` (a URL, or
 * "<strong>", "<em>"…; an inline image as its own tag), so URLs are never sent. Rebuilding fills
 * the source body's own markup with the translated text: figures keep their images (alt text
 * translated) and captions, tables their rows and cells, lists their items. Everything is NFC. Pure.
 */
import { createHash } from 'node:crypto';
import { parseHTML } from 'linkedom';
import { escapeHtml } from '../core/escape.ts';

export type SegmentKind = 'title' | 'summary' | 'block';

export interface Segment {
  kind: SegmentKind;
  /** The block's element: p, h2 … (title and summary: their kind). */
  tag: string;
  /** Plain text; link text wrapped in ⟦n⟧…⟦/n⟧ where n indexes `links`. */
  text: string;
  links: string[];
}

const BLOCK_TAGS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'FIGCAPTION', 'CAPTION', 'TD', 'TH', 'DT', 'DD']);
// inline elements whose span is marked and restored; others are reduced to their text
const MARKED_INLINE = new Set(['STRONG', 'B', 'EM', 'I', 'U', 'S', 'SUP', 'SUB', 'MARK', 'CODE', 'SMALL', 'Q', 'ABBR']);
/** What a marker stands for: a URL (a link), or an element: "<strong>", "<img …>". */
const isElementMark = (entry: string) => entry.startsWith('<');
const MARK = /⟦(\/?)(\d+)⟧/g;

export const normalizeText = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The key a segment is matched by (memory, outdated stories): NFC, whitespace collapsed. */
export const segmentKey = (text: string) => createHash('sha256').update(normalizeText(text)).digest('hex');

/** Title, lead and body blocks of a story, in order; empty ones are kept for title and lead only. */
export function storySegments(story: { title: string; summary: string; body_html: string }): Segment[] {
  return [
    { kind: 'title', tag: 'title', text: normalizeText(story.title), links: [] },
    { kind: 'summary', tag: 'summary', text: normalizeText(story.summary), links: [] },
    ...bodySegments(story.body_html),
  ];
}

const parseBody = (html: string) => parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document;

/**
 * The translatable units of a body in document order: each block element holding text (a
 * paragraph, heading, list item, table cell, caption…) and each image's alt text outside them.
 * Segmenting and rebuilding walk the same way, so unit i of one is unit i of the other.
 */
function units(body: Element, onBlock: (el: Element, segment: Segment) => void, onImage: (img: Element, segment: Segment) => void) {
  const walk = (node: Element) => {
    for (const child of Array.from(node.children)) {
      if (BLOCK_TAGS.has(child.tagName) && !hasBlockChild(child)) {
        const segment = inlineSegment(child);
        if (segment.text) onBlock(child, segment);
      } else if (child.tagName === 'IMG') {
        const alt = normalizeText(child.getAttribute('alt') ?? '').replace(/[⟦⟧]/g, '');
        if (alt) onImage(child, { kind: 'block', tag: 'img', text: alt, links: [] });
      } else {
        walk(child);
      }
    }
  };
  walk(body);
}

export function bodySegments(bodyHtml: string): Segment[] {
  const document = parseBody(bodyHtml);
  const blocks: Segment[] = [];
  units(document.body, (_, s) => blocks.push(s), (_, s) => blocks.push(s));
  if (!blocks.length) {
    const segment = inlineSegment(document.body);
    if (segment.text) blocks.push({ ...segment, tag: 'p' });
  }
  return blocks;
}

function hasBlockChild(el: Element): boolean {
  return Array.from(el.children).some((c) => BLOCK_TAGS.has(c.tagName));
}

function inlineSegment(el: Element): Segment {
  const links: string[] = [];
  let text = '';
  const visit = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        text += (child.textContent ?? '').replace(/[⟦⟧]/g, '');
      } else if (child.nodeType === 1) {
        const e = child as Element;
        const href = e.tagName === 'A' ? e.getAttribute('href') : null;
        if (href && /^(https?:|mailto:|\/)/i.test(href)) {
          const n = links.push(href) - 1;
          text += `⟦${n}⟧`;
          visit(e);
          text += `⟦/${n}⟧`;
        } else if (MARKED_INLINE.has(e.tagName) && (e.textContent ?? '').trim()) {
          const n = links.push(`<${e.tagName.toLowerCase()}>`) - 1;
          text += `⟦${n}⟧`;
          visit(e);
          text += `⟦/${n}⟧`;
        } else if (e.tagName === 'IMG') {
          // an image inside a paragraph stays where it is (its alt text untranslated)
          const n = links.push(e.outerHTML) - 1;
          text += `⟦${n}⟧⟦/${n}⟧`;
        } else if (e.tagName === 'BR') {
          text += ' ';
        } else {
          visit(e);
        }
      }
    }
  };
  visit(el);
  return { kind: 'block', tag: el.tagName.toLowerCase(), text: normalizeText(text), links };
}

const VOID = /^<(img|br|hr|wbr)\b/i;

/** Marked text → HTML with links, bold, italics and inline images restored; a marker the provider lost leaves plain text. */
export function markedToHtml(text: string, links: readonly string[]): string {
  const open: number[] = [];
  const closeTag = (n: number) => (isElementMark(links[n]!) ? `</${/^<([a-z0-9]+)/i.exec(links[n]!)![1]}>` : '</a>');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MARK)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index! + m[0].length;
    const n = Number(m[2]);
    const entry = links[n];
    if (entry === undefined) continue;
    if (VOID.test(entry)) {
      if (!m[1]) out += entry; // an inline image: its own tag, once
      continue;
    }
    if (!m[1] && !open.includes(n)) {
      open.push(n);
      out += isElementMark(entry) ? entry : `<a href="${escapeHtml(entry)}">`;
    } else if (m[1] && open.includes(n)) {
      // close what was opened inside it first: the markup stays balanced whatever order came back
      while (open.length) {
        const top = open.pop()!;
        out += closeTag(top);
        if (top === n) break;
      }
    }
  }
  out += escapeHtml(text.slice(last));
  while (open.length) out += closeTag(open.pop()!);
  return out;
}

/** Markers a translation is missing (links that could not be restored; bold or italics lost are not reported). */
export function lostLinks(source: Segment, translated: string): number[] {
  return source.links.map((_, n) => n).filter((n) => !isElementMark(source.links[n]!) && (!translated.includes(`⟦${n}⟧`) || !translated.includes(`⟦/${n}⟧`)));
}

/**
 * The translated body in the source body's own markup: each unit's text (or alt) replaced by its
 * translation, every other element and attribute kept. When the units do not line up (a body
 * with no block element), the blocks are written out one after the other.
 */
export function rebuildBody(sourceHtml: string, blocks: readonly Segment[], translated: readonly string[]): string {
  const document = parseBody(sourceHtml);
  // each unit holds a placeholder while the frame is serialised; the translations, escaped here, replace them after
  const filled: string[] = [];
  const fill = (el: Element, segment: Segment) => {
    const at = filled.length;
    filled.push(blocks[at]?.text === segment.text ? markedToHtml(translated[at] ?? '', blocks[at]!.links) : el.innerHTML);
    el.textContent = `\u0001${at}\u0001`;
  };
  const alt = (img: Element, segment: Segment) => {
    const at = filled.length;
    filled.push(escapeHtml(blocks[at]?.text === segment.text ? stripMarks(translated[at] ?? '') : segment.text));
    img.setAttribute('alt', `\u0001${at}\u0001`);
  };
  units(document.body, fill, alt);
  if (filled.length === blocks.length && filled.length > 0) return document.body.innerHTML.replace(/\u0001(\d+)\u0001/g, (_, k: string) => filled[Number(k)]!);
  return blocks.map((b, k) => {
    const tag = /^(p|h[1-6]|blockquote)$/.test(b.tag) ? b.tag : 'p';
    return `<${tag}>${markedToHtml(translated[k] ?? '', b.links)}</${tag}>`;
  }).join('\n');
}

/** Marked plain text → XML for a provider with tag handling: links become <l i="n">; no URLs. */
export function markedToXml(text: string): string {
  return escapeXml(text).replace(MARK, (_, close: string, n: string) => (close ? '</l>' : `<l i="${n}">`));
}

export function xmlToMarked(xml: string): string {
  const open: string[] = []; // closing tags carry no index; links do not nest
  return xml
    .replace(/<l i="(\d+)">|<\/l>/g, (_, n: string | undefined) => {
      if (n !== undefined) {
        open.push(n);
        return `⟦${n}⟧`;
      }
      const top = open.pop();
      return top === undefined ? '' : `⟦/${top}⟧`;
    })
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Text without link markers (for checks and the reviewer). */
export const stripMarks = (text: string) => text.replace(MARK, '');


export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
