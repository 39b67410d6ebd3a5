/**
 * Splitting a story into plain-text segments for a provider without HTML tag handling, and
 * rebuilding the HTML from the translated segments with the block structure kept. Pure.
 */
import { parseHTML } from 'linkedom';

export interface Block { tag: string; text: string }

const BLOCK_TAGS = new Set(['P', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'FIGCAPTION', 'TD', 'TH']);

/** The text blocks of a cleaned body, in document order; empty blocks are skipped. */
export function bodyBlocks(bodyHtml: string): Block[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${bodyHtml}</body></html>`);
  const blocks: Block[] = [];
  const walk = (node: Element) => {
    for (const child of Array.from(node.children)) {
      if (BLOCK_TAGS.has(child.tagName)) {
        const text = (child.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text) blocks.push({ tag: child.tagName.toLowerCase(), text });
      } else {
        walk(child);
      }
    }
  };
  walk(document.body);
  if (!blocks.length) {
    const text = (document.body.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) blocks.push({ tag: 'p', text });
  }
  return blocks;
}

/** List items and table cells come back as paragraphs: the list or table frame is not kept. */
export function rebuildBody(blocks: readonly Block[], translated: readonly string[]): string {
  return blocks.map((b, i) => {
    const tag = ['li', 'td', 'th'].includes(b.tag) ? 'p' : b.tag;
    return `<${tag}>${escapeHtml(translated[i] ?? '')}</${tag}>`;
  }).join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
