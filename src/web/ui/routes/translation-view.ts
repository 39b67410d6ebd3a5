/**
 * The editor page's view model, built from rows without I/O: source and draft aligned block by
 * block, glossary terms marked in the source with their required translation, the difference
 * from the machine draft, the revision history with differences, comments and state changes.
 */
import type { Claim } from '../../../review/claims.ts';
import { asDocument } from '../../../review/translation-qa.ts';
import { diffTexts, plainLines, changed, type DiffPart } from '../../../review/diff.ts';
import type { Person } from '../../../core/person.ts';
import type { QaGlossaryTerm, QaIssue } from '../../../review/qa/index.ts';
import type { TermHit } from '../../../review/qa/glossary.ts';
import { toBlocks } from '../../../review/qa/text.ts';
import type { StoryRow, TranslationRow } from '../../../store/schema.ts';
import type { CommentRow, QaOverrideRow } from '../../../store/schema-review.ts';
import { joinBlocks, splitBlocks, type Block } from '../blocks.ts';
import { relativeTime } from '../context.ts';
import { escapeHtml } from '../../../core/escape.ts';

export interface UnsavedText { title: string; summary: string; blocks: Block[] }

type Revision = { version: number; title: string; summary: string; body_html: string; author: string; kind: string; created_at: Date };
type Event = { from_state: string; to_state: string; actor: string; reason: string | null; created_at: Date };

export interface EditorInput {
  t: (key: string, o?: Record<string, unknown>) => string;
  story: StoryRow;
  translation: TranslationRow;
  target: UnsavedText;
  glossary: QaGlossaryTerm[];
  revisions: Revision[];
  events: Event[];
  comments: CommentRow[];
  overrides: QaOverrideRow[];
  issues: QaIssue[];
  now: Date;
  claim: Claim | undefined;
  person: Person;
  can: { edit: boolean; submit: boolean; approve: boolean; reject: boolean; fourEyesBlocked: boolean };
  /** A stale save ('edit'), or an approval or rejection of a text changed since it was read ('review'). */
  conflict: false | 'edit' | 'review';
}


/** Plain text of a source block with glossary terms wrapped in <mark>, everything else escaped. */
export function markTerms(text: string, glossary: QaGlossaryTerm[], find: (text: string, terms: QaGlossaryTerm[]) => TermHit[]): { html: string; terms: QaGlossaryTerm[] } {
  const hits = find(text, glossary);
  let html = '';
  let at = 0;
  for (const h of hits) {
    const required = [h.term.target, ...(h.term.variants ?? [])].join(' / ');
    html += escapeHtml(text.slice(at, h.start)) + `<mark class="term" title="${escapeHtml(required)}">${escapeHtml(text.slice(h.start, h.end))}<span class="req"> → ${escapeHtml(h.term.target)}</span></mark>`;
    at = h.end;
  }
  return { html: html + escapeHtml(text.slice(at)), terms: hits.map((h) => h.term) };
}

const plainOf = (html: string) => toBlocks(html).join(' ');

export function editorView(input: EditorInput, find: (text: string, terms: QaGlossaryTerm[]) => TermHit[]) {
  const { t, story, translation, target, glossary } = input;
  const sourceBody = splitBlocks(story.body_html);
  const rows: { kind: 'title' | 'summary' | 'block'; label: string; sourceHtml: string; tag: string; value: string; index: number }[] = [];
  const termsUsed = new Map<string, QaGlossaryTerm>();
  // each source text is searched for terms once: for its marks and for the list of terms used
  const mark = (s: string) => {
    const marked = markTerms(s, glossary, find);
    for (const term of marked.terms) termsUsed.set(term.source, term);
    return marked.html;
  };
  rows.push({ kind: 'title', label: t('editor.titleLabel'), sourceHtml: mark(story.title), tag: '', value: target.title, index: -1 });
  rows.push({ kind: 'summary', label: t('editor.summaryLabel'), sourceHtml: mark(story.summary), tag: '', value: target.summary, index: -1 });
  const n = Math.max(sourceBody.length, target.blocks.length);
  for (let i = 0; i < n; i++) {
    const s = sourceBody[i];
    const d = target.blocks[i];
    rows.push({ kind: 'block', label: t('editor.blockLabel', { n: i + 1 }), sourceHtml: s ? mark(plainOf(s.tag === 'raw' ? s.html : `<p>${s.html}</p>`)) : '', tag: d?.tag ?? s?.tag ?? 'p', value: d?.html ?? '', index: i });
  }

  const current = plainLines(asDocument({ title: target.title, summary: target.summary, bodyHtml: joinBlocks(target.blocks) }));
  const machine = input.revisions.filter((r) => r.kind === 'machine').sort((a, b) => b.version - a.version)[0];
  const machineDiff: DiffPart[] | undefined = machine ? diffTexts(plainLines(asDocument({ title: machine.title, summary: machine.summary, bodyHtml: machine.body_html })), current) : undefined;
  // the same difference paragraph by paragraph, beside each field
  const machineBlocks = machine ? splitBlocks(machine.body_html) : [];
  const plainBlock = (b: Block | undefined) => (b ? plainOf(b.tag === 'raw' ? b.html : `<p>${b.html}</p>`) : '');
  const rowsWithDiff = rows.map((r) => {
    if (!machine) return { ...r, machineDiff: undefined };
    const before = r.kind === 'title' ? machine.title : r.kind === 'summary' ? machine.summary : plainBlock(machineBlocks[r.index]);
    const after = r.kind === 'title' ? target.title : r.kind === 'summary' ? target.summary : plainBlock(target.blocks[r.index]);
    const parts = diffTexts(before, after);
    return { ...r, machineDiff: changed(parts) ? parts : undefined };
  });

  const ordered = [...input.revisions].sort((a, b) => b.version - a.version);
  const history = ordered.map((r, i) => {
    const prev = ordered[i + 1];
    const text = plainLines(asDocument({ title: r.title, summary: r.summary, bodyHtml: r.body_html }));
    const diff = prev && i < 30 ? diffTexts(plainLines(asDocument({ title: prev.title, summary: prev.summary, bodyHtml: prev.body_html })), text) : undefined;
    return { version: r.version, author: r.author, kind: r.kind, at: r.created_at, ago: relativeTime(input.now.getTime() - r.created_at.getTime(), t), diff: diff && changed(diff) ? diff : undefined, current: r.version === input.translation.version };
  });

  return {
    story, translation, rows: rowsWithDiff, terms: [...termsUsed.values()], issues: input.issues,
    errors: input.issues.filter((i) => i.severity === 'error').length,
    machineDiff: machineDiff && changed(machineDiff) ? machineDiff : undefined, hasMachine: Boolean(machine),
    history, events: input.events, comments: input.comments, overrides: input.overrides,
    claim: input.claim && input.claim.userId !== input.person.userId ? { name: input.claim.displayName, until: input.claim.expiresAt } : undefined,
    claimMine: Boolean(input.claim && input.claim.userId === input.person.userId),
    can: input.can, conflict: input.conflict,
    other: input.conflict ? { version: translation.version, author: translation.last_editor, title: translation.title, summary: translation.summary, body: plainLines(translation.body_html) } : undefined,
    sourceLang: 'vi', targetLang: translation.language,
  };
}
