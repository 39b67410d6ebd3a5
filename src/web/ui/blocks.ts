/**
 * A body as blocks the editor shows side by side: each top-level paragraph or heading is one block
 * whose inner HTML the translator edits; other elements (lists, tables, figures) are kept whole.
 * `joinBlocks(splitBlocks(html))` gives the same markup back.
 */
import { parseHTML } from 'linkedom';
import { rememberRecent } from '../../core/recent.ts';

export interface Block { tag: string; html: string }

const editable = /^(p|h[1-6]|blockquote)$/;

const blockLevel = /^(p|h[1-6]|blockquote|ul|ol|table|figure|div|section|article|pre|hr|dl|aside|header|footer|details|iframe|video|audio|img)$/;
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const splitBlocks = rememberRecent(parse, (blocks) => blocks.map((b) => ({ ...b })));

function parse(html: string): Block[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const blocks: Block[] = [];
  let loose = ''; // text and inline elements between blocks form one paragraph
  const flush = () => {
    if (loose.trim()) blocks.push({ tag: 'p', html: loose.trim() });
    loose = '';
  };
  for (const node of [...document.body.childNodes] as unknown as { nodeType: number; textContent: string; tagName?: string; innerHTML?: string; outerHTML?: string }[]) {
    if (node.nodeType === 3) {
      loose += escapeText(node.textContent);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const tag = node.tagName!.toLowerCase();
    if (!blockLevel.test(tag)) {
      loose += node.outerHTML!;
      continue;
    }
    flush();
    if (editable.test(tag)) blocks.push({ tag, html: node.innerHTML!.trim() });
    else blocks.push({ tag: 'raw', html: node.outerHTML! });
  }
  flush();
  return blocks;
}

export function joinBlocks(blocks: readonly Block[]): string {
  return blocks.filter((b) => b.html.trim()).map((b) => (b.tag === 'raw' ? b.html.trim() : `<${b.tag}>${b.html.trim()}</${b.tag}>`)).join('\n');
}
