/**
 * Glossary terms per language pair: listed, added, edited and retired by editors; imported from
 * and exported to config/glossaries/<source>-<target>.tsv (header: source, target, variants, note;
 * variants separated by "; "). All text is NFC, so terms match NFC story text.
 */
import { InvalidInputError, NotFoundError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import type { GlossaryKind, GlossaryTermRow } from './schema-glossary.ts';

/** `kind`: a term, or a name (person, place) of the glossary's names section; a term when not given. */
export interface GlossaryTerm { source: string; target: string; variants: string[]; note: string | undefined; kind?: GlossaryKind }
export interface LanguagePair { sourceLanguage: string; targetLanguage: string }

/** The base language of a BCP 47 tag: glossaries are kept per language, not per variant. */
export const glossaryLanguage = (tag: string) => tag.split('-')[0]!.toLowerCase();

export function listTerms(db: Db, pair: LanguagePair, opts: { search?: string | undefined; includeRetired?: boolean; kind?: GlossaryKind | undefined } = {}): Promise<GlossaryTermRow[]> {
  let q = db.selectFrom('glossary_terms').selectAll()
    .where('source_language', '=', glossaryLanguage(pair.sourceLanguage))
    .where('target_language', '=', glossaryLanguage(pair.targetLanguage))
    .orderBy('source');
  if (!opts.includeRetired) q = q.where('retired_at', 'is', null);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.search) {
    const like = `%${opts.search.normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('source', 'ilike', like), eb('target', 'ilike', like)]));
  }
  return q.execute();
}

/** A pair's live terms as every user of them reads them: source, target and accepted variants. */
export async function liveTerms(db: Db, pair: LanguagePair): Promise<Array<Pick<GlossaryTermRow, 'source' | 'target' | 'variants'>>> {
  return (await listTerms(db, pair)).map((t) => ({ source: t.source, target: t.target, variants: t.variants }));
}

function clean(term: GlossaryTerm): GlossaryTerm {
  const source = term.source.normalize('NFC').trim();
  const target = term.target.normalize('NFC').trim();
  if (!source || !target) throw new PersonError('invalid_input', 'errors:termIncomplete', {}, 'a glossary term needs both a source and a target');
  return { source, target, variants: term.variants.map((v) => v.normalize('NFC').trim()).filter(Boolean), note: term.note?.trim() || undefined, ...(term.kind ? { kind: term.kind } : {}) };
}

export async function addTerm(db: Db, pair: LanguagePair, term: GlossaryTerm, actor: string): Promise<GlossaryTermRow> {
  const t = clean(term);
  try {
    return await db.insertInto('glossary_terms').values({
      source_language: glossaryLanguage(pair.sourceLanguage), target_language: glossaryLanguage(pair.targetLanguage),
      source: t.source, target: t.target, variants: t.variants, note: t.note ?? null, kind: t.kind ?? 'term', updated_by: actor,
    }).returningAll().executeTakeFirstOrThrow();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new PersonError('conflict', 'errors:termTaken', { source: t.source }, `the glossary already has a live term for "${t.source}"`);
    throw err;
  }
}

export async function updateTerm(db: Db, id: number, term: GlossaryTerm, actor: string, now: Date): Promise<GlossaryTermRow> {
  const t = clean(term);
  const row = await db.updateTable('glossary_terms')
    .set({ source: t.source, target: t.target, variants: t.variants, note: t.note ?? null, ...(t.kind ? { kind: t.kind } : {}), updated_at: now, updated_by: actor })
    .where('id', '=', id).where('retired_at', 'is', null).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('live glossary term', id);
  return row;
}

export async function retireTerm(db: Db, id: number, actor: string, now: Date): Promise<GlossaryTermRow> {
  const row = await db.updateTable('glossary_terms').set({ retired_at: now, updated_at: now, updated_by: actor })
    .where('id', '=', id).where('retired_at', 'is', null).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('live glossary term', id);
  return row;
}

/** Parses the TSV format; the header line is required, blank lines and # comments are skipped. */
export function parseGlossaryTsv(text: string): GlossaryTerm[] {
  // numbered before comments and blank lines are skipped: an error names the line in the file
  const lines = text.normalize('NFC').split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() && !line.startsWith('#'));
  const header = (lines.shift()?.line ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('source') < 0 || col('target') < 0) throw new InvalidInputError('a glossary file needs a header line with "source" and "target" columns');
  return lines.map(({ line, number }) => {
    const cells = line.split('\t');
    const source = cells[col('source')]?.trim() ?? '';
    const target = cells[col('target')]?.trim() ?? '';
    if (!source || !target) throw new InvalidInputError(`glossary line ${number}: needs a source and a target`);
    const variants = col('variants') >= 0 ? (cells[col('variants')] ?? '').split(';').map((v) => v.trim()).filter(Boolean) : [];
    const note = col('note') >= 0 ? cells[col('note')]?.trim() || undefined : undefined;
    if (col('kind') < 0) return { source, target, variants, note };
    const kind = (cells[col('kind')]?.trim().toLowerCase() || 'term');
    if (kind !== 'term' && kind !== 'name') throw new InvalidInputError(`glossary line ${number}: kind is "term" or "name", not "${kind}"`);
    return { source, target, variants, note, kind };
  });
}

/** The TSV of terms; a `kind` column only when the glossary has names. */
export function formatGlossaryTsv(terms: readonly (Pick<GlossaryTermRow, 'source' | 'target' | 'variants' | 'note'> & { kind?: GlossaryKind | undefined })[]): string {
  const cell = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const kinds = terms.some((t) => t.kind === 'name');
  const header = kinds ? 'source\ttarget\tvariants\tnote\tkind' : 'source\ttarget\tvariants\tnote';
  return [header, ...terms.map((t) => [t.source, t.target, t.variants.join('; '), t.note ?? '', ...(kinds ? [t.kind ?? 'term'] : [])].map(cell).join('\t'))].join('\n') + '\n';
}

/** Imports a file: new terms are added, existing live terms updated; returns counts. */
export async function importTerms(db: Db, pair: LanguagePair, terms: readonly GlossaryTerm[], actor: string, now: Date): Promise<{ added: number; updated: number }> {
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await listTerms(trx, pair)).map((t) => [t.source, t]));
    let added = 0;
    let updated = 0;
    for (const term of terms) {
      const current = existing.get(term.source.normalize('NFC').trim());
      if (!current) {
        await addTerm(trx, pair, term, actor);
        added++;
      } else if (current.target !== term.target || current.variants.join('; ') !== term.variants.join('; ') || (current.note ?? undefined) !== term.note || (term.kind !== undefined && current.kind !== term.kind)) {
        await updateTerm(trx, current.id, term, actor, now);
        updated++;
      }
    }
    return { added, updated };
  });
}
