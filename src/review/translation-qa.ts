/**
 * The accuracy checks on a stored translation: the story's title, lead and body against the
 * translation's, with the live glossary of the language pair.
 */
import { NotFoundError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { liveTerms } from '../store/glossary.ts';
import type { StoryRow, TranslationRow } from '../store/schema.ts';
import { runChecksAsync, type QaGlossaryTerm, type QaIssue } from './qa/index.ts';
import { escapeHtml } from '../core/escape.ts';


/** Title, lead and body as one HTML text, one block each, the way the checks align them. */
export function asDocument(t: { title: string; summary: string; bodyHtml: string }): string {
  return [`<h1>${escapeHtml(t.title)}</h1>`, t.summary.trim() ? `<p>${escapeHtml(t.summary)}</p>` : '', t.bodyHtml].join('\n');
}

export async function glossaryFor(db: Db, language: string): Promise<QaGlossaryTerm[]> {
  return liveTerms(db, { sourceLanguage: 'vi', targetLanguage: language });
}

export function checkTexts(story: Pick<StoryRow, 'title' | 'summary' | 'body_html'>, target: { title: string; summary: string; bodyHtml: string }, language: string, glossary: QaGlossaryTerm[]): Promise<QaIssue[]> {
  // a lead the translation leaves empty counts as a missing block only when the source has one
  const source = asDocument({ title: story.title, summary: story.summary, bodyHtml: story.body_html });
  return runChecksAsync({ source, target: asDocument(target), sourceLang: 'vi', targetLang: language, glossary });
}

export async function checkTranslation(db: Db, t: TranslationRow): Promise<QaIssue[]> {
  const story = await db.selectFrom('stories').select(['title', 'summary', 'body_html']).where('id', '=', t.story_id).executeTakeFirst();
  if (!story) throw new NotFoundError('story', t.story_id);
  return checkTexts(story, { title: t.title, summary: t.summary, bodyHtml: t.body_html }, t.language, await glossaryFor(db, t.language));
}
