/**
 * The source diff between story versions, for the desk: what changed in the title, the lead and
 * the body since the previous version. Pure; the body is compared block by block (one line per
 * paragraph) so a unified patch reads like the article.
 */
import { createTwoFilesPatch, diffWords } from 'diff';

export interface StoryText { version: number; title: string; summary: string; body_html: string; created_at: Date }

export interface WordChange { value: string; added?: boolean; removed?: boolean }

export interface StoryRevisionDiff {
  version: number;
  createdAt: Date;
  title: string;
  /** Word changes from the previous version; null for the first version. */
  titleChanges: WordChange[] | null;
  summaryChanges: WordChange[] | null;
  /** Unified diff of the body HTML, one block per line; null for the first version. */
  bodyPatch: string | null;
}

const blockLines = (html: string) => html.replace(/(<\/(?:p|h\d|li|blockquote|figure|table|tr)>)/g, '$1\n').replace(/\n+/g, '\n').trim() + '\n';

const changes = (a: string, b: string): WordChange[] => diffWords(a, b).map((c) => ({ value: c.value, ...(c.added ? { added: true } : {}), ...(c.removed ? { removed: true } : {}) }));

export function diffRevisions(revisions: readonly StoryText[]): StoryRevisionDiff[] {
  const sorted = [...revisions].sort((a, b) => a.version - b.version);
  return sorted.map((r, i) => {
    const prev = sorted[i - 1];
    return {
      version: r.version,
      createdAt: r.created_at,
      title: r.title,
      titleChanges: prev ? changes(prev.title, r.title) : null,
      summaryChanges: prev ? changes(prev.summary, r.summary) : null,
      bodyPatch: prev ? createTwoFilesPatch(`version ${prev.version}`, `version ${r.version}`, blockLines(prev.body_html), blockLines(r.body_html)) : null,
    };
  });
}
