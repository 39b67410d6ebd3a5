/**
 * Which field of the editor a QA finding is about: the title, the lead or a paragraph, found from
 * the finding's span in the checks' plain text (blocks separated by a blank line, in the order of
 * asDocument: title, lead when there is one, then the body's blocks). A list or table kept whole
 * counts as all of its own blocks.
 */
import type { QaIssue } from '../../review/qa/index.ts';
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

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The editor's label of a field: "Title", "Lead", "Paragraph 3" (the body's blocks counted from 1). */
export function fieldLabel(t: Translate, field: FieldId): string {
  return field === 'title' ? t('editor.titleLabel') : field === 'summary' ? t('editor.summaryLabel') : t('editor.blockLabel', { n: Number(field.slice('block-'.length)) + 1 });
}

interface FieldText { title: string; summary: string; blocks: readonly Block[] }
const hasText = (html: string) => toBlocks(html).length > 0;

/** The fields the source fills and the translation leaves empty, in the editor's order. */
export function emptyFields(source: FieldText, target: FieldText): FieldId[] {
  const out: FieldId[] = [];
  if (hasText(source.title) && !hasText(target.title)) out.push('title');
  if (hasText(source.summary) && !hasText(target.summary)) out.push('summary');
  source.blocks.forEach((b, i) => {
    const d = target.blocks[i];
    if (hasText(b.html) && !(d && hasText(d.html))) out.push(`block-${i}`);
  });
  return out;
}

/**
 * The findings as the editor shows them: a paragraph named by its field's label (the checks count
 * the title and the lead as paragraphs, the editor does not), and, instead of "n paragraphs
 * missing", one finding on each field the translation leaves empty. An empty draft stays one finding.
 */
export function inEditorTerms<I extends QaIssue & { field?: FieldId | undefined }>(t: Translate, issues: readonly I[], empty: readonly FieldId[]): (QaIssue & { field?: FieldId | undefined })[] {
  const whole = issues.some((i) => i.code === 'completeness.empty');
  const perField = whole ? [] : empty;
  const out: (QaIssue & { field?: FieldId | undefined })[] = perField.map((field) => {
    const label = fieldLabel(t, field);
    return { check: 'completeness', severity: 'error' as const, code: 'completeness.fieldEmpty', params: { field: label }, message: `${label} is empty in the translation`, field };
  });
  for (const i of issues) {
    if (i.code === 'completeness.missing' && perField.length) continue;
    if (i.code === 'completeness.empty') { out.push({ ...i, field: 'title' }); continue; }
    if ((i.code === 'completeness.shorter' || i.code === 'completeness.longer') && i.field) {
      out.push({ ...i, code: `${i.code}Field`, params: { ...i.params, field: fieldLabel(t, i.field) } });
      continue;
    }
    out.push(i);
  }
  return out;
}
