/**
 * Which field of the editor a QA finding is about: the title, the lead or a paragraph, found from
 * the finding's span in the checks' plain text (blocks separated by a blank line, in the order of
 * asDocument: title, lead when there is one, then the body's blocks). A list or table kept whole
 * counts as all of its own blocks.
 */
import { toBlocks } from '../../review/qa/text.ts';
import type { Block } from './blocks.ts';

export type FieldId = 'title' | 'summary' | `block-${number}`;

/** The field ids of a text, one per plain-text block of the checks, in order. */
export function fieldsOf(text: { title: string; summary: string; blocks: readonly Block[] }): FieldId[] {
  const ids: FieldId[] = ['title'];
  if (text.summary.trim()) ids.push('summary');
  text.blocks.forEach((b, i) => {
    const n = toBlocks(b.tag === 'raw' ? b.html : `<p>${b.html}</p>`).length;
    for (let k = 0; k < n; k++) ids.push(`block-${i}`);
  });
  return ids;
}

/** The field holding character `start` of the plain text `plain` (undefined past its end). */
export function fieldAt(plain: string, start: number, fields: readonly FieldId[]): FieldId | undefined {
  let block = 0;
  for (let at = plain.indexOf('\n\n'); at !== -1 && at < start; at = plain.indexOf('\n\n', at + 2)) block++;
  return fields[block];
}

/** Each finding with the field it is about: where its target span is, else where its source span is. */
export function withFields<I extends { source?: { start: number } | undefined; target?: { start: number } | undefined }>(
  issues: readonly I[],
  source: { plain: string; fields: readonly FieldId[] },
  target: { plain: string; fields: readonly FieldId[] },
): (I & { field?: FieldId | undefined })[] {
  return issues.map((i) => ({ ...i, field: i.target ? fieldAt(target.plain, i.target.start, target.fields) : i.source ? fieldAt(source.plain, i.source.start, source.fields) : undefined }));
}
