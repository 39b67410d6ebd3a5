/**
 * Style guides per audience: a page of Markdown the editors keep (how to write for that audience),
 * shown beside the editor to its translators; and the corrections people keep making to machine
 * drafts ("changed X to Y 14 times in 30 days"), as suggestions for the glossary.
 * Markdown is rendered by `marked` and then reduced to an allowlist (sanitize-html): raw HTML in
 * the guide, script, event handlers and javascript: links never reach the page.
 */
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Db } from '../store/db.ts';
import '../store/schema-style-guides.ts';
import { diffTexts } from './diff.ts';
import { paragraphsOf } from './post-edit.ts';

export const maxGuideLength = 50_000;

export function renderGuide(markdown: string): string {
  const html = marked.parse(markdown.normalize('NFC'), { async: false, gfm: true });
  return sanitizeHtml(html, {
    allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'form', 'select', 'button'],
    // the page has its own h1 and the guide sits under an h2
    transformTags: { h1: 'h3', h2: 'h3', h5: 'h4', h6: 'h4', a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener nofollow' } }) },
    allowedSchemesAppliedToAttributes: ['href'],
  }).trim();
}

export interface StyleGuide { audience: string; markdown: string; html: string; updatedBy: string | null; updatedAt: Date | null }

export async function getGuide(db: Db, audience: string): Promise<StyleGuide> {
  const row = await db.selectFrom('style_guides').selectAll().where('audience_id', '=', audience).executeTakeFirst();
  return row
    ? { audience, markdown: row.body_md, html: renderGuide(row.body_md), updatedBy: row.updated_by, updatedAt: row.updated_at }
    : { audience, markdown: '', html: '', updatedBy: null, updatedAt: null };
}

export async function saveGuide(db: Db, audience: string, markdown: string, who: string, now: Date): Promise<void> {
  const body = markdown.normalize('NFC').replace(/\r\n/g, '\n');
  await db.insertInto('style_guides').values({ audience_id: audience, body_md: body, updated_by: who, updated_at: now })
    .onConflict((oc) => oc.column('audience_id').doUpdateSet({ body_md: body, updated_by: who, updated_at: now })).execute();
}

export interface Correction { from: string; to: string; count: number }

/** A replaced run of words, when both sides are short enough to be a term. */
const term = (s: string) => {
  const t = s.trim().replace(/^[\s,.;:!?"'“”‘’()]+|[\s,.;:!?"'“”‘’()]+$/g, '');
  return t && t.split(/\s+/).length <= 4 ? t : undefined;
};

/**
 * Replacements people made, counted over texts: where a diff removes words and adds others in
 * their place. Pure; `pairs` are (machine draft or submission, approved text).
 */
export function recurringCorrections(pairs: readonly { before: string; after: string }[], atLeast = 2): Correction[] {
  const counts = new Map<string, Correction>();
  for (const { before, after } of pairs) {
    const parts = diffTexts(before, after);
    for (let i = 0; i + 1 < parts.length; i++) {
      const a = parts[i]!;
      const b = parts[i + 1]!;
      if (a.kind !== 'removed' || b.kind !== 'added') continue;
      const from = term(a.text);
      const to = term(b.text);
      if (!from || !to || from === to) continue;
      const key = `${from}\u0000${to}`;
      const c = counts.get(key) ?? { from, to, count: 0 };
      c.count++;
      counts.set(key, c);
      i++;
    }
  }
  return [...counts.values()].filter((c) => c.count >= atLeast).sort((x, y) => y.count - x.count || x.from.localeCompare(y.from)).slice(0, 30);
}

/** The corrections of an audience's approvals since `since` (at most the latest 500): from the machine draft when there was one, else from the submission. */
export async function correctionsFor(db: Db, audience: string, since: Date): Promise<Correction[]> {
  const rows = await db.selectFrom('post_edits as p')
    .innerJoin('revisions as a', (j) => j.onRef('a.translation_id', '=', 'p.translation_id').onRef('a.version', '=', 'p.approved_version'))
    .innerJoin('revisions as b', (j) => j.onRef('b.translation_id', '=', 'p.translation_id')
      .on((eb) => eb('b.version', '=', eb.fn.coalesce('p.machine_version', 'p.submitted_version'))))
    .select(['a.title as a_title', 'a.summary as a_summary', 'a.body_html as a_body', 'b.title as b_title', 'b.summary as b_summary', 'b.body_html as b_body'])
    .where('p.audience_id', '=', audience).where('p.approved_at', '>=', since)
    .orderBy('p.approved_at', 'desc').limit(500).execute();
  return recurringCorrections(rows.map((r) => ({
    before: paragraphsOf({ title: r.b_title, summary: r.b_summary, body_html: r.b_body }).join('\n'),
    after: paragraphsOf({ title: r.a_title, summary: r.a_summary, body_html: r.a_body }).join('\n'),
  })));
}
