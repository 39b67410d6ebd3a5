/**
 * A story as segments (title, lead, each body block) and back. Inline links survive machine
 * translation without their URLs ever being sent: link text is marked ⟦n⟧…⟦/n⟧ and the URLs stay
 * in `links`; other inline markup is reduced to its text. Rebuilding keeps the block structure.
 * Everything is NFC. Pure.
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

const BLOCK_TAGS = new Set(['P', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'FIGCAPTION', 'TD', 'TH']);
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

export function bodySegments(bodyHtml: string): Segment[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${bodyHtml}</body></html>`);
  const blocks: Segment[] = [];
  const walk = (node: Element) => {
    for (const child of Array.from(node.children)) {
      if (BLOCK_TAGS.has(child.tagName) && !hasBlockChild(child)) {
        const segment = inlineSegment(child);
        if (segment.text) blocks.push(segment);
      } else {
        walk(child);
      }
    }
  };
  walk(document.body);
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
          text += `⟦${n}⟧${(e.textContent ?? '').replace(/[⟦⟧]/g, '')}⟦/${n}⟧`;
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

/** Marked text → HTML with the links restored; a marker the provider lost leaves plain text. */
export function markedToHtml(text: string, links: readonly string[]): string {
  const open = new Set<number>();
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MARK)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index! + m[0].length;
    const n = Number(m[2]);
    const href = links[n];
    if (href === undefined) continue;
    if (!m[1] && !open.has(n)) {
      open.add(n);
      out += `<a href="${escapeHtml(href)}">`;
    } else if (m[1] && open.delete(n)) {
      out += '</a>';
    }
  }
  out += escapeHtml(text.slice(last));
  for (let i = 0; i < open.size; i++) out += '</a>';
  return out;
}

/** Markers a translation is missing (links that could not be restored). */
export function lostLinks(source: Segment, translated: string): number[] {
  return source.links.map((_, n) => n).filter((n) => !translated.includes(`⟦${n}⟧`) || !translated.includes(`⟦/${n}⟧`));
}

/** List items and table cells come back as paragraphs: the list or table frame is not kept. */
export function rebuildBody(blocks: readonly Segment[], translated: readonly string[]): string {
  return blocks.map((b, i) => {
    const tag = ['li', 'td', 'th'].includes(b.tag) ? 'p' : b.tag;
    return `<${tag}>${markedToHtml(translated[i] ?? '', b.links)}</${tag}>`;
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
