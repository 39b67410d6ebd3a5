/**
 * What the monitoring page and its API show: foreign items newest first (published, else first
 * seen), each with its outlet and the reach the editors gave it, the watch terms it names, and how
 * many outlets carry the same story (items linked by their fingerprint, `same_as`).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { machineReasons, type MonitoringReason } from '../../core/failure-reasons.ts';
import type { Db } from '../../store/db.ts';
import '../../store/schema-monitoring.ts';

export interface MonitoredFilter {
  /** Only items that name a watch term (all foreign items otherwise). */
  matching: boolean;
  termId?: number | undefined;
  sourceId?: string | undefined;
  /** Items seen before this one (the next page). */
  beforeId?: number | undefined;
  limit: number;
}

export interface MonitoredItem {
  id: number;
  sourceId: string;
  outlet: string;
  reach: number | null;
  language: string;
  url: string | null;
  title: string;
  summary: string;
  bodyHtml: string;
  publishedAt: Date | null;
  firstSeenAt: Date;
  vi: { title: string; summary: string; bodyHtml: string; current: boolean } | null;
  /** The providers' English, and the same as codes the page words in the reader's language (none on rows from before migration 042 that were not recognised). */
  viError: string | null;
  viReasons: MonitoringReason[];
  terms: Array<{ id: number; label: string; priority: boolean; form: string; language: string }>;
  /** Outlets carrying the same story, this one included. */
  outlets: number;
}

const monitoringReason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('unsupported_pair'), provider: z.string(), language: z.string() }),
  z.object({ code: z.literal('refused'), provider: z.string(), reason: z.enum(machineReasons) }),
  z.object({ code: z.literal('no_provider') }),
]);
// a code this version does not know (written by a newer one) is left to the English text
const reasonsOf = (stored: unknown): MonitoringReason[] => (Array.isArray(stored) ? stored.flatMap((r) => {
  const parsed = monitoringReason.safeParse(r);
  return parsed.success ? [parsed.data] : [];
}) : []);

export async function listMonitoredItems(db: Db, filter: MonitoredFilter): Promise<MonitoredItem[]> {
  let q = db.selectFrom('foreign_items as f').innerJoin('sources as s', 's.id', 'f.source_id')
    .select([
      'f.id', 'f.source_id', 's.name as outlet', 's.reach', 'f.language', 'f.url', 'f.title', 'f.summary', 'f.body_html', 'f.published_at', 'f.first_seen_at',
      'f.vi_title', 'f.vi_summary', 'f.vi_body_html', 'f.vi_version', 'f.version', 'f.vi_error', 'f.vi_error_reasons',
      sql<number>`(SELECT count(DISTINCT o.source_id) FROM foreign_items o WHERE coalesce(o.same_as, o.id) = coalesce(f.same_as, f.id))`.as('outlets'),
      sql<MonitoredItem['terms']>`coalesce((SELECT json_agg(json_build_object('id', t.id, 'label', t.label, 'priority', t.priority, 'form', m.form, 'language', m.language) ORDER BY t.priority DESC, t.label)
        FROM watch_matches m JOIN watch_terms t ON t.id = m.watch_term_id AND t.removed_at IS NULL WHERE m.foreign_item_id = f.id), '[]'::json)`.as('terms'),
    ]);
  if (filter.matching || filter.termId !== undefined) {
    q = q.where((eb) => eb.exists(eb.selectFrom('watch_matches as m').innerJoin('watch_terms as t', 't.id', 'm.watch_term_id').select('m.foreign_item_id')
      .whereRef('m.foreign_item_id', '=', 'f.id').where('t.removed_at', 'is', null)
      .$if(filter.termId !== undefined, (w) => w.where('m.watch_term_id', '=', filter.termId!))));
  }
  if (filter.sourceId) q = q.where('f.source_id', '=', filter.sourceId);
  if (filter.beforeId !== undefined) {
    const before = filter.beforeId;
    q = q.where(sql<boolean>`(coalesce(f.published_at, f.first_seen_at), f.id) < (SELECT coalesce(published_at, first_seen_at), id FROM foreign_items WHERE id = ${before})`);
  }
  const rows = await q.orderBy(sql`coalesce(f.published_at, f.first_seen_at)`, 'desc').orderBy('f.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id, sourceId: r.source_id, outlet: r.outlet, reach: r.reach, language: r.language, url: r.url,
    title: r.title, summary: r.summary, bodyHtml: r.body_html, publishedAt: r.published_at, firstSeenAt: r.first_seen_at,
    vi: r.vi_title !== null ? { title: r.vi_title, summary: r.vi_summary ?? '', bodyHtml: r.vi_body_html ?? '', current: r.vi_version === r.version } : null,
    viError: r.vi_error, viReasons: reasonsOf(r.vi_error_reasons), terms: r.terms, outlets: Number(r.outlets),
  }));
}

/** Foreign sources, for the page's filter. */
export function foreignSources(db: Db, domesticLanguage: string) {
  return db.selectFrom('sources').select(['id', 'name', 'language', 'reach']).where('language', '<>', domesticLanguage).where('deleted_at', 'is', null).orderBy('name').execute();
}
